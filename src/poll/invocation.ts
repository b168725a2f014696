import type { Diagnostics, SnapshotStore } from "./ports";

/** One Lambda invocation that may write: it owns the lease under its id until its deadline. */
export interface Invocation {
  /** Identifies this invocation as the lease owner. */
  pollId: string;
  /** When the invocation will be stopped (Lambda timeout); the lease is held until then. */
  deadline: Date;
}

/** What every path that announces transitions (the scheduled poll, the Bedrock event) needs. */
export interface WriterDependencies {
  snapshot: SnapshotStore;
  diagnostics: Diagnostics;
  /** The current time; read at each step that needs it, so the deadline check sees time pass. */
  clock: () => Date;
}
