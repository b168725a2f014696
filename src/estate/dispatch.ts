import { type Estate, scopesOf } from "../domain/scope";
import { NotifierError } from "../errors";
import { accountsOf } from "./accounts";
import type { AccountDirectory, ScopeQueue } from "./ports";

export interface DispatchDependencies {
  estate: Estate;
  /** Only needed when the estate's accounts are the organization's. */
  accounts?: AccountDirectory;
  queue: ScopeQueue;
  clock: () => Date;
}

export interface DispatchReport {
  accounts: number;
  scopes: number;
  enqueued: number;
}

/**
 * Starts one round: one message per scope on the scope queue, so the platform fans the polls out (the workers'
 * concurrency is the event source's setting) instead of one process polling every scope in turn. The round's time
 * rides along, so a worker can drop a message that outlived its round.
 */
export async function dispatchRound(deps: DispatchDependencies): Promise<DispatchReport> {
  const dispatchedAt = deps.clock();
  const accounts = await accountsOf(deps.estate, deps.accounts);
  const scopes = scopesOf(accounts, deps.estate.regions);
  const failed = await deps.queue.enqueue(scopes.map((scope) => ({ scope, dispatchedAt })));
  if (failed.length > 0) {
    // The round is incomplete: fail the invocation so its alarm fires; the scopes sent are polled all the same.
    throw new NotifierError(`${failed.length} of ${scopes.length} scope message(s) could not be sent to the queue`);
  }
  return { accounts: accounts.length, scopes: scopes.length, enqueued: scopes.length };
}
