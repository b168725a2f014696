import { type Account, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { OrganizationAccounts } from "../../src/adapters/organization-accounts";

const organizationsMock = mockClient(OrganizationsClient);

const account = (Id: string, state: { State?: string; Status?: string }): Account => ({ Id, ...state }) as Account;

describe("OrganizationAccounts", () => {
  let directory: OrganizationAccounts;

  beforeEach(() => {
    organizationsMock.reset();
    directory = new OrganizationAccounts(new OrganizationsClient({ region: "us-east-1" }));
  });

  it("follows every page of the listing", async () => {
    // Prepare: the paginator reuses one input object, so each request's token is read as it is sent.
    const pages: Record<string, { Accounts: Account[]; NextToken?: string }> = {
      first: { Accounts: [account("111111111111", { State: "ACTIVE" })], NextToken: "page-2" },
      "page-2": { Accounts: [account("222222222222", { State: "ACTIVE" })], NextToken: "page-3" },
      "page-3": { Accounts: [account("333333333333", { State: "ACTIVE" })] },
    };
    const tokens: Array<string | undefined> = [];
    organizationsMock.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
      tokens.push(input.NextToken);
      return pages[input.NextToken ?? "first"];
    });

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual(["111111111111", "222222222222", "333333333333"]);
    expect(tokens).toEqual([undefined, "page-2", "page-3"]);
  });

  it("returns only active accounts, by State", async () => {
    // Prepare
    organizationsMock.on(ListAccountsCommand).resolves({
      Accounts: [
        account("111111111111", { State: "ACTIVE" }),
        account("222222222222", { State: "SUSPENDED" }),
        account("333333333333", { State: "PENDING_CLOSURE" }),
        account("444444444444", { State: "CLOSED" }),
        account("555555555555", { State: "PENDING_ACTIVATION" }),
      ],
    });

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual(["111111111111"]);
  });

  it("reads the legacy Status when State is absent", async () => {
    // Prepare
    organizationsMock.on(ListAccountsCommand).resolves({
      Accounts: [
        account("111111111111", { Status: "ACTIVE" }),
        account("222222222222", { Status: "SUSPENDED" }),
        account("333333333333", { Status: "PENDING_CLOSURE" }),
      ],
    });

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual(["111111111111"]);
  });

  it("prefers State over the legacy Status when both are given", async () => {
    // Prepare
    organizationsMock.on(ListAccountsCommand).resolves({
      Accounts: [
        account("111111111111", { State: "SUSPENDED", Status: "ACTIVE" }),
        account("222222222222", { State: "ACTIVE", Status: "ACTIVE" }),
      ],
    });

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual(["222222222222"]);
  });

  it("skips an account without an id, or without a state", async () => {
    // Prepare
    organizationsMock.on(ListAccountsCommand).resolves({
      Accounts: [
        account("", { State: "ACTIVE" }),
        { Id: "333333333333" },
        account("444444444444", { State: "ACTIVE" }),
      ],
    });

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual(["444444444444"]);
  });

  it("is empty for an empty page", async () => {
    // Prepare
    organizationsMock.on(ListAccountsCommand).resolves({});

    // Act
    const accounts = await directory.activeAccounts();

    // Assess
    expect(accounts).toEqual([]);
  });

  it("lets a refusal through (not the management account)", async () => {
    // Prepare
    const refusal = Object.assign(new Error("You don't have permissions"), { name: "AccessDeniedException" });
    organizationsMock.on(ListAccountsCommand).rejects(refusal);

    // Act
    const error = await directory.activeAccounts().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: "AccessDeniedException" });
  });
});
