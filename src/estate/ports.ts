import type { Scope } from "../domain/scope";
import type { ScopeMessage } from "../domain/scope-message";
import type { DeliveryDependencies } from "../poll/deliver";
import type { JobSource, SnapshotStore } from "../poll/ports";

/** What every scope's writer shares: one topic, one clock, one place to report skipped input. */
export type SharedDelivery = Omit<DeliveryDependencies, "snapshot">;

/** One scope's two sides: Bedrock in its account and region, and its part of the snapshot. */
export interface ScopeAccess {
  jobs: JobSource;
  snapshot: SnapshotStore;
}

/** Builds (or reuses, across warm invocations) the access to one scope. */
export type ScopeAccessFactory = (scope: Scope) => ScopeAccess;

/** The queue the dispatcher fills with one message per scope, and the poll workers drain. */
export interface ScopeQueue {
  /** Sends every message; returns the ones that could not be sent after retries. */
  enqueue(messages: readonly ScopeMessage[]): Promise<ScopeMessage[]>;
}

/** The organization's member accounts (Organizations, from the management account or a delegated administrator). */
export interface AccountDirectory {
  activeAccounts(): Promise<string[]>;
}
