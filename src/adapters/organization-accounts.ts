import { type OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import type { AccountDirectory } from "../estate/ports";

/**
 * The organization's active accounts. ListAccounts answers only in the management account or a delegated
 * administrator for Organizations; anywhere else it is AccessDenied, which fails the dispatch (and its alarm).
 */
export class OrganizationAccounts implements AccountDirectory {
  constructor(private readonly client: OrganizationsClient) {}

  async activeAccounts(): Promise<string[]> {
    const accounts: string[] = [];
    for await (const page of paginateListAccounts({ client: this.client }, {})) {
      for (const account of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; read either so both generations of the API work.
        const state = (account as { State?: string }).State ?? account.Status;
        if (account.Id && state === "ACTIVE") accounts.push(account.Id);
      }
    }
    return accounts;
  }
}
