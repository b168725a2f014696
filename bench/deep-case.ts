import { loadPollHandler } from "../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../tools/local-stack/lambda-events";
import { WARNINGS_OFF } from "../tools/local-stack/warnings-off";
import { runAsCaseProcess } from "./child-main";
import { watchMemory } from "./memory";
import { startPeers } from "./peers-client";

/**
 * One deep-reconciliation case in a process of its own (`node --import tsx --expose-gc bench/deep-case.ts <jobs>
 * <result file>`), the peers in another: a first run over `jobs` finished jobs in the 8-day window, then the daily
 * listing of the whole window with List latency and throttling injected, then a quiet poll.
 */

export interface DeepCaseResult {
  jobs: number;
  open: number;
  listFaults: { latencyMs: number; throttleRate: number };
  deep: {
    listCalls: number;
    batchGets: number;
    writes: number;
    wallMs: number;
    deepReconciled: boolean;
    windowListed: number;
    memory: ReturnType<ReturnType<typeof watchMemory>["stop"]>;
  };
  quiet: { bedrockCalls: number; queries: number; getItems: number; writes: number; deepReconciled: boolean };
}

const OPEN = 50;
const LIST_FAULTS = { latencyMs: 150, throttleRate: 0.1 };
const WRITES = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];
/** The deployed function's timeout (pollTimeoutSeconds). */
const TIMEOUT_MS = 60_000;

const sum = (counts: Record<string, number>, names: readonly string[]): number =>
  names.reduce((total, name) => total + (counts[name] ?? 0), 0);

export async function runDeepCase(jobs: number): Promise<DeepCaseResult> {
  const peers = await startPeers();
  try {
    const { env } = await peers.call("initWindow", { jobs, open: OPEN, seed: 17 });
    Object.assign(process.env, env, WARNINGS_OFF, {
      LOOKBACK_MINUTES: "60",
      FIRST_RUN: "baseline",
      POWERTOOLS_SERVICE_NAME: "bedrock-job-notifier",
      POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    const poll = await loadPollHandler();
    const first = await poll(scheduledEvent(), lambdaContext(10 * TIMEOUT_MS));
    if (first.outcome !== "baseline") throw new Error(`first run was ${first.outcome}`);

    await peers.call("advance", { ms: 5 * 60_000 });
    await peers.call("expireDeepReconciliation", null);
    await peers.call("listFaults", LIST_FAULTS);
    await peers.call("reset", null);
    const watch = watchMemory();
    const startedAt = performance.now();
    const deep = await poll(scheduledEvent(), lambdaContext(TIMEOUT_MS));
    const wallMs = Math.round(performance.now() - startedAt);
    const memory = watch.stop();
    const deepCounters = await peers.call("counters", null);

    await peers.call("listFaults", null);
    await peers.call("advance", { ms: 5 * 60_000 });
    await peers.call("reset", null);
    const quiet = await poll(scheduledEvent(), lambdaContext(TIMEOUT_MS));
    const quietCounters = await peers.call("counters", null);

    const bedrock = (counters: typeof deepCounters) =>
      Object.values(counters.bedrock.calls).reduce((total, calls) => total + calls, 0);
    return {
      jobs,
      open: OPEN,
      listFaults: LIST_FAULTS,
      deep: {
        listCalls: deepCounters.bedrock.calls.ListModelInvocationJobs ?? 0,
        batchGets: deepCounters.dynamodb.requests.BatchGetItem ?? 0,
        writes: sum(deepCounters.dynamodb.requests, WRITES),
        wallMs,
        deepReconciled: deep.deepReconciled,
        windowListed: deep.windowListed,
        memory,
      },
      quiet: {
        bedrockCalls: bedrock(quietCounters),
        queries: quietCounters.dynamodb.requests.Query ?? 0,
        getItems: quietCounters.dynamodb.requests.GetItem ?? 0,
        writes: sum(quietCounters.dynamodb.requests, WRITES),
        deepReconciled: quiet.deepReconciled,
      },
    };
  } finally {
    await peers.stop();
  }
}

if (require.main === module) {
  runAsCaseProcess("node --import tsx --expose-gc bench/deep-case.ts <jobs> <result file>", (jobs) =>
    runDeepCase(Number(jobs)),
  );
}
