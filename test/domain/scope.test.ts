import { describe, expect, it } from "vitest";
import {
  accountLabel,
  type Estate,
  inEstate,
  parseScopeId,
  type Scope,
  scopeId,
  scopeOfJob,
  scopesOf,
} from "../../src/domain/scope";
import { jobArnOf } from "../support/factories";

const PROD: Scope = { accountId: "123456789012", region: "us-east-1" };

describe("scopeId and parseScopeId", () => {
  it("names a scope as <account>/<region>", () => {
    // Act
    const id = scopeId(PROD);

    // Assess
    expect(id).toBe("123456789012/us-east-1");
  });

  it.each<Scope>([
    { accountId: "123456789012", region: "us-east-1" },
    { accountId: "000000000001", region: "eu-central-2" },
    { accountId: "210987654321", region: "us-gov-west-1" },
    { accountId: "111122223333", region: "cn-northwest-1" },
  ])("reads back what it wrote for $accountId/$region", (scope) => {
    // Act
    const parsed = parseScopeId(scopeId(scope));

    // Assess
    expect(parsed).toEqual(scope);
  });

  it.each([
    ["an empty string", ""],
    ["no region", "123456789012"],
    ["an empty region", "123456789012/"],
    ["an empty account", "/us-east-1"],
    ["an 11-digit account", "12345678901/us-east-1"],
    ["a 13-digit account", "1234567890123/us-east-1"],
    ["a non-numeric account", "12345678901a/us-east-1"],
    ["a region without a number", "123456789012/us-east"],
    ["an upper-case region", "123456789012/US-EAST-1"],
    ["a third part", "123456789012/us-east-1/extra"],
    ["a trailing slash", "123456789012/us-east-1/"],
    ["the parts swapped", "us-east-1/123456789012"],
    ["a colon instead of a slash", "123456789012:us-east-1"],
  ])("rejects %s", (_, value) => {
    // Act
    const parsed = parseScopeId(value);

    // Assess
    expect(parsed).toBeUndefined();
  });
});

describe("scopeOfJob", () => {
  it("takes the account and region from the job's ARN", () => {
    // Act
    const scope = scopeOfJob("arn:aws:bedrock:eu-west-3:210987654321:model-invocation-job/abcdef123456");

    // Assess
    expect(scope).toEqual({ accountId: "210987654321", region: "eu-west-3" });
  });

  it("reads the factories' job ARN as the default scope", () => {
    // Act
    const scope = scopeOfJob(jobArnOf("a"));

    // Assess
    expect(scope).toEqual(PROD);
  });

  it.each([
    ["not an ARN", "model-invocation-job/abcdef123456"],
    ["another service", "arn:aws:sns:us-east-1:123456789012:model-invocation-job/abcdef123456"],
    ["a short job id", "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc"],
    ["a short account", "arn:aws:bedrock:us-east-1:12345678901:model-invocation-job/abcdef123456"],
  ])("is undefined for %s", (_, jobArn) => {
    // Act
    const scope = scopeOfJob(jobArn);

    // Assess
    expect(scope).toBeUndefined();
  });
});

describe("scopesOf", () => {
  it("pairs every account with every region, accounts first", () => {
    // Act
    const scopes = scopesOf(["111111111111", "222222222222"], ["us-east-1", "eu-west-1", "ap-south-1"]);

    // Assess
    expect(scopes.map(scopeId)).toEqual([
      "111111111111/us-east-1",
      "111111111111/eu-west-1",
      "111111111111/ap-south-1",
      "222222222222/us-east-1",
      "222222222222/eu-west-1",
      "222222222222/ap-south-1",
    ]);
  });

  it("is empty when there are no accounts or no regions", () => {
    // Act
    const withoutAccounts = scopesOf([], ["us-east-1"]);
    const withoutRegions = scopesOf(["111111111111"], []);

    // Assess
    expect(withoutAccounts).toEqual([]);
    expect(withoutRegions).toEqual([]);
  });
});

describe("inEstate", () => {
  const listed: Estate = { regions: ["us-east-1", "eu-west-1"], accounts: ["123456789012", "210987654321"] };
  const organization: Estate = { regions: ["us-east-1", "eu-west-1"], accounts: null };

  it.each<Scope>([
    { accountId: "123456789012", region: "us-east-1" },
    { accountId: "210987654321", region: "eu-west-1" },
  ])("holds a listed account in a listed region: $accountId/$region", (scope) => {
    // Act
    const inside = inEstate(listed, scope);

    // Assess
    expect(inside).toBe(true);
  });

  it("leaves out an account that is not listed", () => {
    // Act
    const inside = inEstate(listed, { accountId: "999999999999", region: "us-east-1" });

    // Assess
    expect(inside).toBe(false);
  });

  it("leaves out a listed account in a region that is not listed", () => {
    // Act
    const inside = inEstate(listed, { accountId: "123456789012", region: "ap-south-1" });

    // Assess
    expect(inside).toBe(false);
  });

  it("holds any account of the organization (accounts null) in a listed region", () => {
    // Act
    const inside = inEstate(organization, { accountId: "999999999999", region: "eu-west-1" });

    // Assess
    expect(inside).toBe(true);
  });

  it("leaves out an organization account in a region that is not listed", () => {
    // Act
    const inside = inEstate(organization, { accountId: "999999999999", region: "ap-south-1" });

    // Assess
    expect(inside).toBe(false);
  });

  it("holds nothing when the account list is empty (not the organization)", () => {
    // Act
    const inside = inEstate({ regions: ["us-east-1"], accounts: [] }, PROD);

    // Assess
    expect(inside).toBe(false);
  });
});

describe("accountLabel", () => {
  const aliases = new Map([["123456789012", "prod"]]);

  it("names an account by its alias, with the id in parentheses", () => {
    // Act
    const label = accountLabel("123456789012", aliases);

    // Assess
    expect(label).toBe("prod (123456789012)");
  });

  it("falls back to the id for an account without an alias", () => {
    // Act
    const label = accountLabel("210987654321", aliases);

    // Assess
    expect(label).toBe("210987654321");
  });

  it("falls back to the id for an empty alias", () => {
    // Act
    const label = accountLabel("123456789012", new Map([["123456789012", ""]]));

    // Assess
    expect(label).toBe("123456789012");
  });
});
