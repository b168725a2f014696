import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ManualClock } from "../tools/bedrock-emulator/src";
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from "../tools/local-stack/stack";
import { type CapacityProxy, startCapacityProxy } from "./capacity-proxy";
import {
  estateAddOpen,
  estateBurst,
  estateCounters,
  estateInit,
  estateReset,
  estateSeedSnapshot,
  estateStop,
} from "./estate-peers";
import type { EstateInit } from "./estate-types";
import type { PeersCommand, PeersCommands, PeersInit, PeersRequest, PeersResponse } from "./peers-protocol";
import { finishedJobs, openJobs, plannedChanges, windowJobs } from "./scenario";
import type { PollCounters } from "./types";

/**
 * The peers of one benchmark case (Bedrock emulator, dynalite, fauxqs, the counting proxies), in a process of
 * their own: the case process then holds only the poller, so its peak RSS is the poller's. Driven over IPC.
 */

// The emulator's clock starts behind real time and stays there: the poll bounds its watermark by its own clock,
// so a job must never look submitted in the poller's future.
const CLOCK_LAG_MS = 2 * 3_600_000;

let stack: LocalStack | undefined;
let capacity: CapacityProxy | undefined;
let clock: ManualClock | undefined;
let snsMessages = 0;
let openCount = 0;

function started(): { stack: LocalStack; capacity: CapacityProxy; clock: ManualClock } {
  if (!stack || !capacity || !clock) throw new Error("peers not initialised");
  return { stack, capacity, clock };
}

async function init({ finished, open, seed }: PeersInit): Promise<PeersCommands["init"]["result"]> {
  clock = new ManualClock(new Date(Date.now() - CLOCK_LAG_MS));
  stack = await startLocalStack({ clock, seed });
  capacity = await startCapacityProxy(stack.dynamodbProxy.endpoint);
  // Counts messages, not requests: a PublishBatch carries up to ten.
  stack.snsProxy.setHook(({ operation, body }) => {
    if (operation === "Publish") snsMessages++;
    if (operation === "PublishBatch") {
      snsMessages += body.toString("utf8").match(/PublishBatchRequestEntries\.member\.\d+\.Id=/g)?.length ?? 0;
    }
    return { kind: "forward" };
  });
  openCount = open;
  const startedAt = performance.now();
  const nowMs = clock.now().getTime();
  // Open jobs first: their ids are fixed, and the emulator draws the others around them.
  stack.bedrock.addJobs(openJobs(open, nowMs));
  stack.bedrock.addJobs(finishedJobs(finished, nowMs));
  const seedMs = performance.now() - startedAt;
  return { env: { ...stack.env, AWS_ENDPOINT_URL_DYNAMODB: capacity.endpoint }, seedMs };
}

async function initWindow({ jobs, open, seed }: { jobs: number; open: number; seed: number }) {
  const { env } = await init({ finished: 0, open, seed });
  const { stack, clock } = started();
  stack.bedrock.addJobs(windowJobs(jobs, clock.now().getTime()));
  return { env };
}

/** Straight to dynalite: what a day passing means to the meta row. */
async function expireDeepReconciliation(): Promise<null> {
  const { stack } = started();
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: "us-east-1", credentials: LOCAL_CREDENTIALS, endpoint: stack.dynamodbEndpoint }),
  );
  await client.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: { pk: "meta#poller" },
      UpdateExpression: "SET deepReconciledAt = :dayAgo",
      ExpressionAttributeValues: { ":dayAgo": new Date(Date.now() - 25 * 3_600_000).toISOString() },
    }),
  );
  client.destroy();
  return null;
}

function listFaults(faults: { latencyMs: number; throttleRate: number } | null): null {
  const { stack } = started();
  stack.bedrock.setFaults(
    faults
      ? {
          perOperation: { ListModelInvocationJobs: { latencyMs: faults.latencyMs, throttleRate: faults.throttleRate } },
        }
      : {},
  );
  return null;
}

function change({ percent, seed }: { percent: number; seed: number }): PeersCommands["change"]["result"] {
  const { stack } = started();
  const changes = plannedChanges(openCount, percent, seed);
  for (const { jobId, patch } of changes) stack.bedrock.setJobState(jobId, patch);
  return { changed: changes.length, finished: changes.filter((change) => change.finishes).length };
}

function counters(): PollCounters {
  const { stack, capacity } = started();
  const bedrock = stack.bedrock.stats();
  const units = capacity.units();
  return {
    bedrock: { calls: bedrock.calls, bytes: bedrock.responseBytes },
    dynamodb: { requests: stack.dynamodbProxy.counts(), readUnits: units.read, writeUnits: units.write },
    sns: { requests: stack.snsProxy.counts(), messages: snsMessages },
  };
}

function reset(): null {
  const { stack, capacity } = started();
  stack.bedrock.resetStats();
  stack.dynamodbProxy.reset();
  stack.snsProxy.reset();
  capacity.reset();
  snsMessages = 0;
  return null;
}

async function stop(): Promise<null> {
  await capacity?.stop();
  await stack?.stop();
  await estateStop();
  return null;
}

async function handle(request: PeersRequest): Promise<unknown> {
  const argument = request.argument as PeersCommands[PeersCommand]["argument"];
  switch (request.command) {
    case "init":
      return init(argument as PeersInit);
    case "initWindow":
      return initWindow(argument as { jobs: number; open: number; seed: number });
    case "expireDeepReconciliation":
      return expireDeepReconciliation();
    case "listFaults":
      return listFaults(argument as { latencyMs: number; throttleRate: number } | null);
    case "advance":
      started().clock.advance((argument as { ms: number }).ms);
      return null;
    case "change":
      return change(argument as { percent: number; seed: number });
    case "reset":
      return reset();
    case "counters":
      return counters();
    case "stop":
      return stop();
    case "estateInit":
      return estateInit(argument as EstateInit);
    case "estateSeedSnapshot":
      return estateSeedSnapshot();
    case "estateReset":
      return estateReset();
    case "estateCounters":
      return estateCounters();
    case "estateAddOpen":
      return estateAddOpen(argument as { perScope: number });
    case "estateBurst":
      return estateBurst(argument as { seed: number });
  }
}

process.on("message", (message: PeersRequest) => {
  handle(message).then(
    (result) => {
      // After "stop" nothing is left to serve: exit once the answer is out rather than wait for stray timers.
      const done = message.command === "stop" ? () => process.exit(0) : undefined;
      process.send?.({ id: message.id, ok: true, result } satisfies PeersResponse, undefined, {}, done);
    },
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies PeersResponse),
  );
});
