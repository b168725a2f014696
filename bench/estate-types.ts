/** What the peers seed: every (account, region) pair gets `open` open and `finished` finished jobs of its own. */
export interface EstateInit {
  accounts: string[];
  regions: string[];
  finished: number;
  open: number;
  seed: number;
}

export interface EstateInitResult {
  env: Record<string, string>;
  /** Where Bedrock's events wait for onBedrockEvents (not in the functions' environment: an event source reads it). */
  bedrockEventQueueUrl: string;
  seedMs: number;
  /** Jobs the emulator holds, every scope together. */
  jobs: number;
  /** The peers' V8 heap once seeded (after a GC when the peers run with --expose-gc). */
  heapAfterSeedMb: number;
}

/** What the peers counted since their last reset. */
export interface EstateCounters {
  /** Bedrock calls per operation, per scope (`<account>/<region>`), from the emulator's own statistics. */
  bedrockByScope: Record<string, Record<string, number>>;
  /** STS AssumeRole calls per member account, from the emulator. */
  assumeRoleByAccount: Record<string, number>;
  /** DynamoDB requests per operation, per scope whose keys they name (counting proxy in front of dynalite). */
  dynamodbByScope: Record<string, Record<string, number>>;
  /** Requests that name no scope's keys (none expected). */
  dynamodbUnattributed: Record<string, number>;
  dynamodbByOperation: Record<string, number>;
  /** Conditional UpdateItems that try to take a scope's lease, and those that got it. */
  lease: { attempts: number; acquired: number };
  /** SNS requests, the messages they carried, and when the last one was answered (epoch ms). */
  sns: { publishBatch: number; publish: number; messages: number; lastPublishAt: number };
  /** The peers process's peak RSS so far. */
  peakRssMb: number;
}

/** One estate case: a fresh stack and a fresh pool of worker sandboxes, in processes of their own. */
export interface EstateSpec {
  accounts: number;
  regions: number;
  finished: number;
  open: number;
  /** Simulated pollScope sandboxes: the event source mapping's maximum concurrency. */
  sandboxes: number;
  /**
   * How the snapshot reaches steady state: every scope's first run, as round 1 through the fan-out ("first-run"),
   * or written directly through the adapter as first runs would leave it ("seeded"), every round then quiet.
   */
  snapshot: "first-run" | "seeded";
  /** Scheduled rounds in all (with "first-run", the first run is round 1), driven back to back. */
  rounds: number;
  /** Also run two rounds through a single sandbox, one invocation at a time: the durations without contention. */
  sequential: boolean;
  /** A burst of Bedrock events across every scope of the estate, after the rounds. */
  burst?: { events: number; batchSize: number; concurrency: number };
  seed: number;
}

export interface Spread {
  min: number;
  max: number;
  mean: number;
  total: number;
}

/** Per-scope figures of one round: every scope of the estate, a scope with no request counting 0. */
export interface PerScope {
  bedrock: Spread;
  listCalls: Spread;
  getCalls: Spread;
  query: Spread;
  getItem: Spread;
  batchGetItem: Spread;
  writes: Spread;
  /** Every DynamoDB request, reads and writes. */
  dynamodb: Spread;
}

export interface RoundFigures {
  /** 1-based; round 1 is every scope's first run. */
  round: number;
  /** Dispatch, then the workers until the scope queue is empty (the round's wall time through the fan-out). */
  wallMs: number;
  dispatchMs: number;
  invocations: number;
  outcomes: Record<string, number>;
  failed: number;
  skipped: number;
  published: number;
  perScope: PerScope;
  dynamodbUnattributed: number;
  /** AssumeRole calls this round, every account together. */
  assumeRole: number;
  /** pollScope invocation durations: median, 90th percentile and max. */
  durationMs: { median: number; p90: number; max: number };
  /** Bytes the handlers logged (stdout) per invocation this round. */
  logBytesPerInvocation: number;
  /** The dispatcher's log bytes this round. */
  dispatchLogBytes: number;
}

export interface BurstFigures {
  events: number;
  scopes: number;
  batchSize: number;
  concurrency: number;
  /** From the first receive of the queued burst to the last PublishBatch SNS answered. */
  lastPublishedMs: number;
  /** Until the event source found the queue empty (every batch answered and deleted). */
  drainedMs: number;
  invocations: number;
  retried: number;
  failedInvocations: number;
  publishBatch: number;
  publish: number;
  messages: number;
  leaseAttempts: number;
  leaseAcquired: number;
  /** Σ over invocations of the scopes in each batch: one lease per scope per batch. */
  scopeBatches: number;
  bedrockGets: number;
  dynamodb: Record<string, number>;
  durationMs: { median: number; p90: number; max: number };
  logBytesPerInvocation: number;
  /** What the next scheduled round published about the burst's jobs (0: each was announced once, by the events). */
  nextRoundPublished: number;
}

export interface AssumeRoleFigures {
  /** Member accounts (the home account's scopes use the function's own role). */
  memberAccounts: number;
  /** Every round's AssumeRole calls, every account together. */
  perRound: number[];
  /** Over all the rounds, per member account. */
  perAccount: Spread;
  /** The most AssumeRole calls one sandbox made for one account over all the rounds. */
  maxPerSandboxPerAccount: number;
  /** Sandboxes (of the pool) that polled at least one scope of the account, over all the rounds: min / max. */
  sandboxesPerAccount: Spread;
  /** Real time the rounds took, end to end: the sessions' age at the end. */
  elapsedMs: number;
}

export interface EstateResult {
  spec: EstateSpec;
  scopes: number;
  jobs: number;
  seedMs: number;
  heapAfterSeedMb: number;
  /** How long the snapshot took to reach steady state (the first round, or the direct writes), and its rows. */
  snapshot: { method: EstateSpec["snapshot"]; ms: number; rows?: number };
  rounds: RoundFigures[];
  /** Two rounds through one sandbox, one invocation at a time (spec.sequential). */
  sequential?: RoundFigures[];
  assumeRole: AssumeRoleFigures;
  burst?: BurstFigures;
  memory: { workersPeakRssMb: number; peersPeakRssMb: number; peersHeapMb: number };
  totalMs: number;
}

export interface EstateReport {
  results: EstateResult[];
  /** What the workers' process and the peers' process were started with. */
  peersExecArgv: string[];
  totalSeconds: number;
}
