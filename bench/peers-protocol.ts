import type { EstateCounters, EstateInit, EstateInitResult } from "./estate-types";
import type { PollCounters } from "./types";

/** The data a case runs on. */
export interface PeersInit {
  finished: number;
  open: number;
  seed: number;
}

/** Each command the peers process answers, with its argument and its result. */
export interface PeersCommands {
  /** Starts the stack and seeds the jobs; answers the environment that points SDK clients at the peers. */
  init: { argument: PeersInit; result: { env: Record<string, string>; seedMs: number } };
  /** Moves the emulator's clock forward, as time passes between scheduled polls. */
  advance: { argument: { ms: number }; result: null };
  /** Changes that share of the open jobs; answers how many changed and how many of them finished. */
  change: { argument: { percent: number; seed: number }; result: { changed: number; finished: number } };
  /** Starts the stack with `jobs` finished jobs inside the 8-day lifetime window, plus `open` open jobs. */
  initWindow: { argument: { jobs: number; open: number; seed: number }; result: { env: Record<string, string> } };
  /** Makes the next poll list the whole lifetime window (its meta row says the last one was a day ago). */
  expireDeepReconciliation: { argument: null; result: null };
  /** Latency and throttling on every List call, or none. */
  listFaults: { argument: { latencyMs: number; throttleRate: number } | null; result: null };
  /** Zeroes every counter, right before a measured poll. */
  reset: { argument: null; result: null };
  counters: { argument: null; result: PollCounters };
  stop: { argument: null; result: null };
  /** The estate benchmark (bench/estate-peers.ts): one stack watching every scope, each seeded with its own jobs. */
  estateInit: { argument: EstateInit; result: EstateInitResult };
  /** Every scope's snapshot as its first run would leave it, written through the adapter (not counted). */
  estateSeedSnapshot: { argument: null; result: { seedMs: number; rows: number } };
  estateReset: { argument: null; result: null };
  estateCounters: { argument: null; result: EstateCounters };
  /** More open (InProgress) jobs in every scope: the burst's jobs, known to the snapshot after the next round. */
  estateAddOpen: { argument: { perScope: number }; result: { added: number } };
  /** The burst's jobs finish and their events are queued, shuffled. */
  estateBurst: { argument: { seed: number }; result: { events: number; scopes: number } };
}

export type PeersCommand = keyof PeersCommands;

export interface PeersRequest<C extends PeersCommand = PeersCommand> {
  id: number;
  command: C;
  argument: PeersCommands[C]["argument"];
}

export type PeersResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
