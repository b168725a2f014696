import type { Estate } from "../domain/scope";
import { NotifierError } from "../errors";
import type { AccountDirectory } from "./ports";

/** The estate's accounts now: the configured list, or the organization's active accounts (each once, sorted). */
export async function accountsOf(estate: Estate, directory: AccountDirectory | undefined): Promise<readonly string[]> {
  if (estate.accounts !== null) return estate.accounts;
  if (!directory) throw new NotifierError("The estate is the organization's, but no account directory is wired");
  return [...new Set(await directory.activeAccounts())].sort();
}
