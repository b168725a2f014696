import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbSnapshotStore, snapshotKeysFor, snapshotRowItem } from "../src/adapters/dynamodb";
import type { SnapshotRecord } from "../src/domain/snapshot";
import { mapWithConcurrency } from "../src/poll/concurrency";
import { WATERMARK_OVERLAP_MS } from "../src/poll/plan";
import { mulberry32 } from "../tools/bedrock-emulator/src";
import { bedrockJobStateChange } from "../tools/local-stack/lambda-events";
import type { ProxiedRequest, ProxiedResponse, ProxyDecision } from "../tools/local-stack/proxy";
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalStack, startLocalStack } from "../tools/local-stack/stack";
import type { EstateCounters, EstateInit, EstateInitResult } from "./estate-types";
import { finishedJobs, openJobId, openJobs } from "./scenario";

/**
 * The estate benchmark's peers (bench/peers.ts serves these commands): one local stack watching every scope of the
 * estate, each scope seeded with its own jobs, with the counting proxies attributing every DynamoDB request to the
 * scope whose keys it names, counting lease acquisitions, and timing SNS publishes.
 */

/** The template's visibility timeout of both queues (serverless/params.js: 2 × pollTimeoutSeconds). */
const QUEUE_VISIBILITY_SECONDS = "120";
/** A job submitted this long before the burst: listed by the next round (after its watermark), never in the future. */
const BURST_SUBMITTED_AGO_MS = 15 * 60_000;

let stack: LocalStack | undefined;
let homeScope = "";
let byScope = new Map<string, Record<string, number>>();
let unattributed: Record<string, number> = {};
let lease = { attempts: 0, acquired: 0 };
let sns = { publishBatch: 0, publish: 0, messages: 0, lastPublishAt: 0 };
/** The burst's jobs. */
let burstJobs: string[] = [];

function started(): LocalStack {
  if (!stack) throw new Error("estate peers not initialised");
  return stack;
}

const increment = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** "123456789012/us-east-1" from a job ARN (`arn:aws:bedrock:<region>:<account>:model-invocation-job/<id>`). */
function scopeOfArn(arn: string): string | undefined {
  const [, , , region, account] = arn.split(":");
  return region && account ? `${account}/${region}` : undefined;
}

/** The scope whose snapshot keys a key names: `meta#poller[#<scope>]`, `open[#<scope>]` or `job#<job ARN>`. */
function scopeOfKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  if (key === "meta#poller" || key === "open") return homeScope;
  if (key.startsWith("meta#poller#")) return key.slice("meta#poller#".length);
  if (key.startsWith("open#")) return key.slice("open#".length);
  if (key.startsWith("job#")) return scopeOfArn(key.slice("job#".length));
  return undefined;
}

type Json = Record<string, unknown>;
const stringOf = (value: unknown): string | undefined =>
  typeof value === "object" && value !== null && typeof (value as Json).S === "string"
    ? ((value as Json).S as string)
    : undefined;

/** Which scope a DynamoDB request works for, read from the keys it names. */
function scopeOfRequest(operation: string, body: Json): string | undefined {
  switch (operation) {
    case "GetItem":
    case "UpdateItem":
    case "PutItem":
    case "DeleteItem":
      return scopeOfKey(stringOf((body.Key as Json | undefined)?.pk));
    case "Query":
      return scopeOfKey(stringOf((body.ExpressionAttributeValues as Json | undefined)?.[":open"]));
    case "BatchGetItem": {
      const tables = Object.values((body.RequestItems as Json | undefined) ?? {}) as Array<{ Keys?: Json[] }>;
      return scopeOfKey(stringOf(tables[0]?.Keys?.[0]?.pk));
    }
    default:
      return undefined;
  }
}

function countDynamoDb({ operation, body }: ProxiedRequest): ProxyDecision {
  let parsed: Json = {};
  try {
    parsed = JSON.parse(body.toString("utf8")) as Json;
  } catch {
    // Not JSON: counted as unattributed.
  }
  const scope = scopeOfRequest(operation, parsed);
  if (scope) {
    const counts = byScope.get(scope) ?? {};
    increment(counts, operation);
    byScope.set(scope, counts);
  } else increment(unattributed, operation);
  // The lease is taken by one conditional UpdateItem of the meta row (DynamoDbSnapshotStore.acquireLease).
  const isAcquisition =
    operation === "UpdateItem" && String(parsed.UpdateExpression ?? "").startsWith("SET leaseOwner = :owner");
  if (!isAcquisition) return { kind: "forward" };
  lease.attempts++;
  return {
    kind: "forward",
    respond: (response: ProxiedResponse) => {
      if (response.status === 200) lease.acquired++;
      return response;
    },
  };
}

function countSns({ operation, body }: ProxiedRequest): ProxyDecision {
  if (operation !== "Publish" && operation !== "PublishBatch") return { kind: "forward" };
  const entries =
    operation === "Publish"
      ? 1
      : (body.toString("utf8").match(/PublishBatchRequestEntries\.member\.\d+\.Id=/g)?.length ?? 0);
  return {
    kind: "forward",
    respond: (response: ProxiedResponse) => {
      if (operation === "Publish") sns.publish++;
      else sns.publishBatch++;
      sns.messages += entries;
      sns.lastPublishAt = Date.now();
      return response;
    },
  };
}

export async function estateInit(init: EstateInit): Promise<EstateInitResult> {
  // The emulator runs on the real clock (no ManualClock): the workers' AssumeRole cache decides expiry by the real
  // clock too, and nothing here waits for time to pass.
  stack = await startLocalStack({ estate: { accounts: init.accounts, regions: init.regions }, seed: init.seed });
  const local = stack;
  homeScope = `${init.accounts[0]}/${init.regions[0]}`;
  openPerScope = init.open;
  for (const queueUrl of [local.scopeQueueUrl, local.bedrockEventQueueUrl]) {
    await local.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { VisibilityTimeout: QUEUE_VISIBILITY_SECONDS },
      }),
    );
  }
  local.dynamodbProxy.setHook(countDynamoDb);
  local.snsProxy.setHook(countSns);

  const startedAt = performance.now();
  const nowMs = Date.now();
  let jobs = 0;
  for (const accountId of init.accounts) {
    for (const region of init.regions) {
      const scope = { accountId, region };
      // Open jobs first: their ids are fixed (per scope), and the emulator draws the others around them.
      local.bedrock.addJobs(openJobs(init.open, nowMs), scope);
      local.bedrock.addJobs(finishedJobs(init.finished, nowMs), scope);
      jobs += init.open + init.finished;
    }
  }
  const seedMs = performance.now() - startedAt;
  (globalThis as { gc?: () => void }).gc?.();
  return {
    env: local.env,
    bedrockEventQueueUrl: local.bedrockEventQueueUrl,
    seedMs,
    jobs,
    heapAfterSeedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

/** Scopes whose snapshot is written at once when it is seeded directly. */
const SEED_SCOPE_CONCURRENCY = 8;
/** BatchWriteItem takes at most 25 puts. */
const BATCH_WRITE = 25;
const quietDiagnostics = { warn: () => undefined };
/** Open jobs per scope, as seeded by estateInit. */
let openPerScope = 0;

/**
 * Writes every scope's snapshot as its first run (FIRST_RUN=baseline) would leave it for the fast path, straight to
 * dynalite (not counted), in the adapter's own format: the meta row through DynamoDbSnapshotStore (with
 * snapshotKeysFor's keys) — the first-run marker, then the lease taken and given back with the watermark (the newest
 * submit time, at most now − overlap: the newest open job here, as every finished job was submitted over an hour
 * ago), the deep reconciliation and historyBefore set to now — and a row, as `snapshotRowItem` makes it, for every
 * open job, 25 to a BatchWriteItem (the first run writes one conditional UpdateItem each).
 *
 * Left out: the rows a first run also writes for finished jobs that changed within its look-back hour (≈ 120 per
 * scope with this history, 70 % of the rows): terminal rows are off the open-jobs index, so no quiet poll reads them,
 * and only the daily deep reconciliation (not due) or a re-listing after the watermark (none: they were submitted
 * before it) would. This is what makes seeding 1,000 scopes take about a minute on dynalite instead of three.
 */
export async function estateSeedSnapshot(): Promise<{ seedMs: number; rows: number }> {
  const local = started();
  const startedAt = performance.now();
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: local.dynamodbEndpoint }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const home = { accountId: local.bedrock.accountId, region: local.bedrock.region };
  let rows = 0;
  await mapWithConcurrency(local.bedrock.scopes(), SEED_SCOPE_CONCURRENCY, async (selector) => {
    const now = new Date();
    const scope = { accountId: selector.accountId ?? home.accountId, region: selector.region ?? home.region };
    const keys = snapshotKeysFor(scope, home);
    const store = new DynamoDbSnapshotStore(documents, local.tableName, quietDiagnostics, keys);
    const records: SnapshotRecord[] = [];
    let latestSubmit = 0;
    for (let index = 0; index < openPerScope; index++) {
      const job = local.bedrock.getJob(
        `arn:aws:bedrock:${scope.region}:${scope.accountId}:model-invocation-job/${openJobId(index)}`,
      );
      if (!job?.jobArn || !job.status || !job.submitTime) throw new Error(`open job ${index} of a scope is missing`);
      latestSubmit = Math.max(latestSubmit, job.submitTime.getTime());
      records.push({
        jobArn: job.jobArn,
        status: job.status,
        submitTime: job.submitTime,
        ...(job.lastModifiedTime ? { lastModifiedTime: job.lastModifiedTime } : {}),
      });
    }
    await store.beginFirstRun(now);
    await store.acquireLease("bench-seed", now, new Date(now.getTime() + 60_000));
    for (let start = 0; start < records.length; start += BATCH_WRITE) {
      let requests = records
        .slice(start, start + BATCH_WRITE)
        .map((record) => ({ PutRequest: { Item: snapshotRowItem(record, now, keys) } }));
      while (requests.length > 0) {
        const output = await documents.send(new BatchWriteCommand({ RequestItems: { [local.tableName]: requests } }));
        requests = (output.UnprocessedItems?.[local.tableName] ?? []) as typeof requests;
      }
    }
    rows += records.length;
    await store.releaseLease("bench-seed", {
      watermark: new Date(Math.min(latestSubmit, now.getTime() - WATERMARK_OVERLAP_MS)),
      replaceWatermark: true,
      deepReconciledAt: now,
      historyBefore: now,
    });
  });
  documents.destroy();
  return { seedMs: performance.now() - startedAt, rows };
}

export function estateReset(): null {
  const local = started();
  local.bedrock.resetStats();
  local.dynamodbProxy.reset();
  local.snsProxy.reset();
  byScope = new Map();
  unattributed = {};
  lease = { attempts: 0, acquired: 0 };
  sns = { publishBatch: 0, publish: 0, messages: 0, lastPublishAt: 0 };
  return null;
}

export function estateCounters(): EstateCounters {
  const local = started();
  const stats = local.bedrock.stats();
  const bedrock: Record<string, Record<string, number>> = {};
  for (const [key, scopeStats] of Object.entries(stats.byScope)) {
    // The emulator keys scopes "<account>:<region>"; the notifier names them "<account>/<region>".
    bedrock[key.replace(":", "/")] = { ...scopeStats.calls };
  }
  return {
    bedrockByScope: bedrock,
    assumeRoleByAccount: { ...stats.sts.assumeRoleByAccount },
    dynamodbByScope: Object.fromEntries(byScope),
    dynamodbUnattributed: { ...unattributed },
    dynamodbByOperation: local.dynamodbProxy.counts(),
    lease: { ...lease },
    sns: { ...sns },
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** `perScope` more open jobs in every scope (InProgress, submitted 15 minutes ago): the burst's jobs. */
export function estateAddOpen({ perScope }: { perScope: number }): { added: number } {
  const local = started();
  const submitTime = new Date(Date.now() - BURST_SUBMITTED_AGO_MS);
  for (const scope of local.bedrock.scopes()) {
    for (let index = 0; index < perScope; index++) {
      const job = local.bedrock.addJob({ jobName: `burst-${index}`, status: "InProgress", submitTime }, scope);
      burstJobs.push(job.jobArn as string);
    }
  }
  return { added: burstJobs.length };
}

/**
 * Every burst job finishes, and Bedrock's state-change event for each lands on the event queue, in a seeded
 * shuffled order (events of all scopes mixed, as they arrive from many accounts), 10 per SendMessageBatch.
 */
export async function estateBurst({ seed }: { seed: number }): Promise<{ events: number; scopes: number }> {
  const local = started();
  const arns = [...burstJobs];
  const random = mulberry32(seed);
  for (let index = arns.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [arns[index], arns[other]] = [arns[other] as string, arns[index] as string];
  }
  for (const arn of arns) local.bedrock.setJobState(arn, { status: "Completed" });
  for (let start = 0; start < arns.length; start += 10) {
    await local.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: local.bedrockEventQueueUrl,
        Entries: arns.slice(start, start + 10).map((jobArn, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(bedrockJobStateChange({ jobArn, status: "Completed" })),
        })),
      }),
    );
  }
  burstJobs = [];
  return { events: arns.length, scopes: new Set(arns.map(scopeOfArn)).size };
}

export async function estateStop(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
