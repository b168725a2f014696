import { SQSClient } from "@aws-sdk/client-sqs";
import type { ScopePollResult, SkippedMessage } from "../src/estate/poll-scope";
import { type Handler, type InvocationFigures, SqsEventSource } from "../tools/local-stack/event-source";
import { lambdaContext, scheduledEvent } from "../tools/local-stack/lambda-events";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../tools/local-stack/stack";
import { WARNINGS_OFF } from "../tools/local-stack/warnings-off";
import { runAsCaseProcess } from "./child-main";
import type {
  AssumeRoleFigures,
  BurstFigures,
  EstateCounters,
  EstateResult,
  EstateSpec,
  PerScope,
  RoundFigures,
  Spread,
} from "./estate-types";
import { median, sum } from "./numbers";
import { startPeers } from "./peers-client";

/**
 * One estate case, in a process of its own: `node --import tsx bench/estate-case.ts '<EstateSpec json>' <result
 * file>`. The peers (Bedrock emulator with every scope's jobs and emulated STS, dynalite, fauxqs) run in a child
 * process with a large heap; this process holds the functions: the real `dispatch` handler and a pool of `pollScope`
 * sandboxes, each built by `buildPollRuntime` over the same environment (its own clients and its own AssumeRole
 * cache, as a Lambda execution environment has), fed by an SQS event source mapping that hands each scope message
 * to a free sandbox.
 */

/** The regions of the estate, in order; the first is the deployment's own. */
export const ESTATE_REGIONS = [
  "us-east-1",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
  "eu-west-3",
  "ap-northeast-1",
  "ap-southeast-2",
  "ap-south-1",
  "ca-central-1",
  "sa-east-1",
] as const;
/** The deployment's own account (the emulator's default); the others are member accounts. */
export const HOME_ACCOUNT = "123456789012";
export const estateAccounts = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => (index === 0 ? HOME_ACCOUNT : String(210_000_000_000 + index)));

/** The peers hold every scope's jobs: about 40 MB of heap per 100,000 jobs (tools/bedrock-emulator/README.md). */
export const PEERS_EXEC_ARGV = ["--max-old-space-size=16384", "--expose-gc"];

/**
 * What serverless.yml gives the functions, minus what the peers' environment provides. Early warnings off: this
 * measures reconciliation and fan-out; what warnings cost a poll is `npm run bench:warnings`.
 */
const FUNCTION_ENV = {
  ...WARNINGS_OFF,
  LOOKBACK_MINUTES: "60",
  FIRST_RUN: "baseline",
  INTERVAL_MINUTES: "5",
  POWERTOOLS_SERVICE_NAME: "bedrock-job-notifier",
  POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier",
  POWERTOOLS_LOG_LEVEL: "INFO",
};

type ScopeResult = ScopePollResult | SkippedMessage;
type PollScopeHandler = (event: unknown, context: unknown) => Promise<ScopeResult[]>;

/** The handlers' output (Powertools logs, EMF metrics) is counted, not kept: what CloudWatch Logs would ingest. */
let loggedBytes = 0;
function countStdout(): void {
  const count = (chunk: unknown, ...rest: unknown[]): boolean => {
    loggedBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : (chunk as Uint8Array).length;
    const callback = rest.find((argument) => typeof argument === "function") as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = count as typeof process.stdout.write;
}

const spread = (values: readonly number[]): Spread => ({
  min: values.length ? Math.min(...values) : 0,
  max: values.length ? Math.max(...values) : 0,
  mean: values.length ? sum(values) / values.length : 0,
  total: sum(values),
});

function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

const durations = (values: readonly number[]) => ({
  median: Math.round(median(values) * 10) / 10,
  p90: Math.round(percentile(values, 0.9) * 10) / 10,
  max: Math.round(Math.max(...values) * 10) / 10,
});

/** The scope of a queued Bedrock event: the account and region of the job ARN it names. */
function scopeOfEvent(body: string): string {
  const arn = (JSON.parse(body) as { resources?: string[] }).resources?.[0] ?? "";
  const [, , , region, account] = arn.split(":");
  return `${account}/${region}`;
}

const WRITES = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"];

/** Per-scope figures over every scope of the estate (a scope nobody called counts 0). */
function perScopeOf(counters: EstateCounters, scopes: readonly string[]): PerScope {
  const of = (pick: (bedrock: Record<string, number>, dynamodb: Record<string, number>) => number) =>
    spread(scopes.map((scope) => pick(counters.bedrockByScope[scope] ?? {}, counters.dynamodbByScope[scope] ?? {})));
  return {
    bedrock: of((bedrock) => sum(Object.values(bedrock))),
    listCalls: of((bedrock) => bedrock.ListModelInvocationJobs ?? 0),
    getCalls: of((bedrock) => bedrock.GetModelInvocationJob ?? 0),
    query: of((_, dynamodb) => dynamodb.Query ?? 0),
    getItem: of((_, dynamodb) => dynamodb.GetItem ?? 0),
    batchGetItem: of((_, dynamodb) => dynamodb.BatchGetItem ?? 0),
    writes: of((_, dynamodb) => sum(WRITES.map((operation) => dynamodb[operation] ?? 0))),
    dynamodb: of((_, dynamodb) => sum(Object.values(dynamodb))),
  };
}

export async function runEstateCase(spec: EstateSpec): Promise<EstateResult> {
  const caseStart = performance.now();
  const peers = await startPeers({ execArgv: PEERS_EXEC_ARGV });
  try {
    const accounts = estateAccounts(spec.accounts);
    const regions = ESTATE_REGIONS.slice(0, spec.regions);
    if (regions.length < spec.regions) throw new RangeError(`at most ${ESTATE_REGIONS.length} regions`);
    const scopes = accounts.flatMap((account) => regions.map((region) => `${account}/${region}`));
    const init = await peers.call("estateInit", {
      accounts,
      regions: [...regions],
      finished: spec.finished,
      open: spec.open,
      seed: spec.seed,
    });
    const seeded = spec.snapshot === "seeded" ? await peers.call("estateSeedSnapshot", null) : undefined;
    Object.assign(process.env, init.env, FUNCTION_ENV);
    // fauxqs (in the peers) names queues http://sqs.<region>.localhost:<port>/..., which the SDK calls as it must;
    // fauxqs's lookup patch resolves *.localhost to loopback in this process too (see tools/local-stack/peers.ts).
    (await import("fauxqs")).interceptLocalhostDns();
    countStdout();

    // Cold starts: the dispatcher once; each pollScope sandbox builds its own runtime from the same environment.
    const { handler: dispatch } = await import("../handlers/dispatch");
    const { buildPollRuntime } = await import("../handlers/writer-runtime");
    const { createPollScopeHandler } = await import("../handlers/poll-scope");
    const { createBedrockEventsHandler } = await import("../handlers/on-bedrock-events");
    const pool = Array.from({ length: spec.sandboxes }, () => {
      const runtime = buildPollRuntime(process.env);
      return { runtime, handler: createPollScopeHandler(runtime) as unknown as PollScopeHandler };
    });
    const sqs = new SQSClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: init.env.AWS_ENDPOINT_URL_SQS,
      useQueueUrlAsEndpoint: false,
    });
    const scopeQueueUrl = init.env.SCOPE_QUEUE_URL as string;
    /** Which accounts' scopes each sandbox polled, over every round. */
    const accountsBySandbox = pool.map(() => new Set<string>());

    const round = async (number: number, sandboxes: readonly PollScopeHandler[]): Promise<RoundFigures> => {
      await peers.call("estateReset", null);
      const logBefore = loggedBytes;
      const results: ScopeResult[] = [];
      const invocationMs: number[] = [];
      const startedAt = performance.now();
      await dispatch(scheduledEvent(), lambdaContext(60_000, "local-dispatch"));
      const dispatchMs = performance.now() - startedAt;
      const dispatchLogBytes = loggedBytes - logBefore;
      const source = new SqsEventSource(sqs, scopeQueueUrl, sandboxes as unknown as Handler[], {
        batchSize: 1,
        concurrency: sandboxes.length,
        functionName: "local-pollScope",
        onResult: (result, invocation: InvocationFigures) => {
          invocationMs.push(invocation.durationMs);
          for (const scoped of result as ScopeResult[]) {
            results.push(scoped);
            if ("scope" in scoped) accountsBySandbox[invocation.sandbox]?.add(scoped.scope.accountId);
          }
        },
      });
      const invocations = await source.drain();
      const wallMs = performance.now() - startedAt;
      const counters = await peers.call("estateCounters", null);
      const outcomes: Record<string, number> = {};
      let published = 0;
      for (const result of results) {
        if (!("ok" in result) || !result.ok) continue;
        outcomes[result.report.outcome] = (outcomes[result.report.outcome] ?? 0) + 1;
        published += result.report.published;
      }
      return {
        round: number,
        wallMs: Math.round(wallMs),
        dispatchMs: Math.round(dispatchMs * 10) / 10,
        invocations,
        outcomes,
        failed: results.filter((result) => "ok" in result && !result.ok).length,
        skipped: results.filter((result) => "skipped" in result).length,
        published,
        perScope: perScopeOf(counters, scopes),
        dynamodbUnattributed: sum(Object.values(counters.dynamodbUnattributed)),
        assumeRole: sum(Object.values(counters.assumeRoleByAccount)),
        durationMs: durations(invocationMs),
        logBytesPerInvocation: Math.round((loggedBytes - logBefore - dispatchLogBytes) / Math.max(1, invocations)),
        dispatchLogBytes,
      };
    };

    // The rounds, back to back: with "first-run", the first is every scope's first run (a silent baseline); the
    // others are quiet.
    const handlers = pool.map((sandbox) => sandbox.handler);
    const rounds: RoundFigures[] = [];
    const assumeByAccount = new Map<string, number>();
    const roundsStart = performance.now();
    for (let number = 1; number <= spec.rounds; number++) {
      rounds.push(await round(number, handlers));
      const counters = await peers.call("estateCounters", null);
      for (const [account, calls] of Object.entries(counters.assumeRoleByAccount)) {
        assumeByAccount.set(account, (assumeByAccount.get(account) ?? 0) + calls);
      }
    }
    const elapsedMs = performance.now() - roundsStart;

    const members = accounts.slice(1);
    const assumeRole: AssumeRoleFigures = {
      memberAccounts: members.length,
      perRound: rounds.map((figures) => figures.assumeRole),
      perAccount: spread(members.map((account) => assumeByAccount.get(account) ?? 0)),
      // A sandbox's cache makes one call per account it needs: its calls ÷ the member accounts it polled is 1 when
      // every account cost exactly one (a refusal or an expiry would add more).
      maxPerSandboxPerAccount: Math.max(
        0,
        ...pool.map((sandbox, index) => {
          const served = [...(accountsBySandbox[index] ?? [])].filter((account) => account !== HOME_ACCOUNT).length;
          return served === 0 ? sandbox.runtime.credentials.calls : sandbox.runtime.credentials.calls / served;
        }),
      ),
      sandboxesPerAccount: spread(
        members.map((account) => accountsBySandbox.filter((served) => served.has(account)).length),
      ),
      elapsedMs: Math.round(elapsedMs),
    };

    let sequential: RoundFigures[] | undefined;
    if (spec.sequential) {
      const single = [pool[0]?.handler as PollScopeHandler];
      sequential = [await round(spec.rounds + 1, single), await round(spec.rounds + 2, single)];
    }

    let burst: BurstFigures | undefined;
    if (spec.burst) {
      const { events: eventCount, batchSize, concurrency } = spec.burst;
      await peers.call("estateAddOpen", { perScope: Math.ceil(eventCount / scopes.length) });
      await round(0, handlers); // the burst's jobs become known (announced as new, InProgress)
      await round(0, handlers); // and the snapshot is quiet again
      // Each sandbox counts the scopes of every batch it gets: one lease per scope per batch is the design's floor.
      let scopeBatches = 0;
      const eventPool = Array.from({ length: concurrency }, (): Handler => {
        const sandbox = createBedrockEventsHandler(buildPollRuntime(process.env)) as unknown as Handler;
        return (event, context) => {
          scopeBatches += new Set(event.Records.map((record) => scopeOfEvent(record.body))).size;
          return sandbox(event, context);
        };
      });
      await peers.call("estateReset", null);
      const queued = await peers.call("estateBurst", { seed: spec.seed });
      const logBefore = loggedBytes;
      const invocationMs: number[] = [];
      const source = new SqsEventSource(sqs, init.bedrockEventQueueUrl, eventPool, {
        batchSize,
        concurrency,
        functionName: "local-onBedrockEvents",
        onResult: (_result, invocation) => invocationMs.push(invocation.durationMs),
      });
      const sourceStartedAt = Date.now();
      await source.drain();
      const drainedMs = Date.now() - sourceStartedAt;
      const counters = await peers.call("estateCounters", null);
      const logBytes = loggedBytes - logBefore;
      const next = await round(0, handlers);
      burst = {
        events: queued.events,
        scopes: queued.scopes,
        batchSize,
        concurrency,
        lastPublishedMs: counters.sns.lastPublishAt - sourceStartedAt,
        drainedMs,
        invocations: source.figures.invocations,
        retried: source.figures.retried,
        failedInvocations: source.figures.failedInvocations,
        publishBatch: counters.sns.publishBatch,
        publish: counters.sns.publish,
        messages: counters.sns.messages,
        leaseAttempts: counters.lease.attempts,
        leaseAcquired: counters.lease.acquired,
        scopeBatches,
        bedrockGets: sum(Object.values(counters.bedrockByScope).map((calls) => calls.GetModelInvocationJob ?? 0)),
        dynamodb: counters.dynamodbByOperation,
        durationMs: durations(invocationMs),
        logBytesPerInvocation: Math.round(logBytes / Math.max(1, source.figures.invocations)),
        nextRoundPublished: next.published,
      };
    }

    const final = await peers.call("estateCounters", null);
    sqs.destroy();
    return {
      spec,
      scopes: scopes.length,
      jobs: init.jobs,
      seedMs: Math.round(init.seedMs),
      heapAfterSeedMb: init.heapAfterSeedMb,
      snapshot: seeded
        ? { method: "seeded", ms: Math.round(seeded.seedMs), rows: seeded.rows }
        : { method: "first-run", ms: rounds[0]?.wallMs ?? 0 },
      rounds,
      ...(sequential ? { sequential } : {}),
      assumeRole,
      ...(burst ? { burst } : {}),
      memory: {
        workersPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        peersPeakRssMb: final.peakRssMb,
        peersHeapMb: init.heapAfterSeedMb,
      },
      totalMs: Math.round(performance.now() - caseStart),
    };
  } finally {
    await peers.stop();
  }
}

if (require.main === module) {
  runAsCaseProcess("node --import tsx bench/estate-case.ts '<EstateSpec json>' <result file>", (spec) =>
    runEstateCase(JSON.parse(spec) as EstateSpec),
  );
}
