import type { EstateReport } from "./estate-types";

/** The pollers compared: the real poll handler, and two baselines over the same SDK clients and table. */
export type PollerKind = "ours" | "window" | "naive";

export const POLLER_KINDS: readonly PollerKind[] = ["ours", "window", "naive"];

/** One benchmark case: run in a process of its own so its peak RSS is its own. */
export interface CaseSpec {
  poller: PollerKind;
  /** Finished jobs in the account, spread over the last 30 days. */
  finished: number;
  /** Jobs still open (submitted in the last 2 days). */
  open: number;
  /** Share of the open jobs that change status between the quiet polls and the measured one. */
  changedPercent: number;
  /** Polls run after setup and not measured: they let the JIT warm up before anything is timed. */
  warmUpPolls: number;
  /**
   * Quiet polls (nothing changed) measured after the warm-up and before the changes; their median wall time is the
   * quiet figure. 0 where one poll takes most of a minute (the naive poller at 100,000 jobs): there the first poll
   * after setup is the measured one.
   */
  quietPolls: number;
  /** Seeds the emulator's job ids and the choice of changed jobs: every poller of a case sees the same data. */
  seed: number;
}

/** What the peers counted during one poll. */
export interface PollCounters {
  bedrock: {
    /** Calls per operation, as the emulator answered them. */
    calls: Record<string, number>;
    /** Response body bytes per operation. */
    bytes: Record<string, number>;
  };
  dynamodb: {
    /** Requests per operation, from the counting proxy in front of dynalite. */
    requests: Record<string, number>;
    /** Consumed capacity reported by dynalite (ReturnConsumedCapacity=TOTAL), table units only. */
    readUnits: number;
    writeUnits: number;
  };
  sns: {
    /** Requests per action, from the counting proxy in front of fauxqs. */
    requests: Record<string, number>;
    /** Messages carried by those requests (PublishBatch entries, Publish calls). */
    messages: number;
  };
}

export interface MemoryFigures {
  /** RSS right before the measured poll, after a full GC. */
  rssBeforeMb: number;
  /** Peak RSS during the measured poll (the kernel's high-water mark, reset just before the poll). */
  peakRssMb: number;
  /** Peak RSS of the process over its whole life: startup, setup and warm-up included. */
  processPeakRssMb: number;
  heapUsedBeforeMb: number;
  /** Highest V8 heap use seen during the poll (sampled every few ms, and at the end). */
  peakHeapUsedMb: number;
}

export interface PollMeasurement {
  counters: PollCounters;
  wallMs: number;
  /** CPU time (user + system) the case process spent during the poll: the poller's own work, without the peers'. */
  cpuMs: number;
  /** Transitions the poller says it published. */
  published: number;
}

export interface CaseResult {
  spec: CaseSpec;
  /** Jobs whose status changed before the measured poll (one transition each). */
  changed: number;
  /** Of those, the ones that became terminal: they leave every open list. */
  finishedByChange: number;
  /** Jobs the poller tracks (naive: its known-jobs table; others: undefined). */
  known?: number;
  /** Time the emulator took to take in every job (addJobs), in the peers process. */
  seedMs: number;
  setupMs: number;
  /** Fresh-process runs folded into this result (wall times and memory are their medians). */
  runs?: number;
  /** Polls where nothing changed: counters of the last, median wall and CPU time of all. Absent when quietPolls is 0. */
  quiet?: PollMeasurement & { wallMsAll: number[]; cpuMsAll: number[] };
  measured: PollMeasurement & { memory: MemoryFigures };
}

export interface PackageFigures {
  /** The poll function's bundle, built with serverless.yml's esbuild settings. */
  bundleBytes: number;
  /** That bundle zipped as serverless-esbuild zips it (archiver: deflate level 1, data descriptors). */
  zipBytes: number;
  /** require() of the bundle in a fresh node process, one figure per process. */
  coldImportMs: number[];
  coldImportMedianMs: number;
  /** Process start to handler ready (node bootstrap + require), median. */
  processReadyMedianMs: number;
  esbuild: Record<string, unknown>;
}

export interface MachineInfo {
  date: string;
  command: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchReport {
  machine: MachineInfo;
  cases: CaseResult[];
  pkg: PackageFigures;
  /** Many scopes from one deployment (bench/estate.ts); absent when the run left it out. */
  estate?: EstateReport;
  totalSeconds: number;
}
