import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { type Scope, sameScope, scopeId } from "../domain/scope";
import { isMalformed, type MalformedRecord, type SnapshotRecord, type StoredRecord } from "../domain/snapshot";
import { isTerminal, type JobStatus } from "../domain/status";
import { WARNING_KINDS, type WarningKind } from "../domain/warnings";
import { NotifierError, ResourceMissingError } from "../errors";
import { mapWithConcurrency } from "../poll/concurrency";
import type { Diagnostics, MetaProgress, PollState, SnapshotStore } from "../poll/ports";

/** Version of the row layout below; rows written by another version are treated as malformed, never trusted. */
export const ROW_VERSION = 1;
/** Sparse GSI: only rows of open jobs carry `openShard`, so one Query reads exactly the jobs that can still change. */
export const OPEN_JOBS_INDEX = "open-jobs";
const JOB_KEY_PREFIX = "job#";
/** `warnedStuckInStatus`, `warnedHighErrorRate`, …: when each warning kind was sent for the job. */
const WARNED_PREFIX = "warned";

/** Where one scope's meta row (watermark, lease, progress) lives, and the open-jobs partition its open rows carry. */
export interface SnapshotKeys {
  meta: string;
  openShard: string;
}

/**
 * The keys of the deployment's own scope are the ones the single-scope versions wrote, so an upgraded stack keeps
 * its watermark, lease and open jobs as they are: nothing to migrate, nothing announced twice. Every other scope
 * gets its own meta row and open partition. Job rows need no scope in their key: a job ARN names its account and
 * region.
 */
export const HOME_SCOPE_KEYS: SnapshotKeys = Object.freeze({ meta: "meta#poller", openShard: "open" });

export function snapshotKeysFor(scope: Scope, home: Scope): SnapshotKeys {
  if (sameScope(scope, home)) return HOME_SCOPE_KEYS;
  const id = scopeId(scope);
  return { meta: `meta#poller#${id}`, openShard: `open#${id}` };
}
/**
 * A terminal job can reappear only in the listing of jobs submitted after the watermark minus the overlap. Two
 * weeks is far beyond that, yet keeps the table small; DynamoDB deletes expired rows itself.
 */
export const TERMINAL_ROW_RETENTION_SECONDS = 14 * 24 * 60 * 60;
const BATCH_GET_LIMIT = 100;
/** Conditional baseline writes in flight at once. */
const BASELINE_WRITE_CONCURRENCY = 16;
const MAX_UNPROCESSED_ROUNDS = 8;

const jobKey = (jobArn: string): string => `${JOB_KEY_PREFIX}${jobArn}`;
const isIso = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value));

/**
 * A job's row as this version writes it (every write of a row sets exactly these attributes): open rows carry the
 * scope's `openShard` (the sparse index), terminal ones an expiry instead.
 */
export function snapshotRowItem(record: SnapshotRecord, now: Date, keys: SnapshotKeys): Record<string, unknown> {
  const item: Record<string, unknown> = {
    pk: jobKey(record.jobArn),
    v: ROW_VERSION,
    status: record.status,
    submitTime: record.submitTime.toISOString(),
    updatedAt: now.toISOString(),
    // Every baseline and commit records a status the notifier sees for the first time: now is its first sighting.
    statusSince: now.toISOString(),
  };
  if (record.lastModifiedTime) item.lastModifiedTime = record.lastModifiedTime.toISOString();
  if (isTerminal(record.status)) item.expiresAt = Math.floor(now.getTime() / 1000) + TERMINAL_ROW_RETENTION_SECONDS;
  else item.openShard = keys.openShard;
  return item;
}

/**
 * One scope's snapshot of announced statuses in the shared DynamoDB table (`pk` hash key), plus the scope's meta row
 * holding its watermark and writer lease. Only single-item conditional writes: no transactions needed.
 */
export class DynamoDbSnapshotStore implements SnapshotStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly diagnostics: Diagnostics,
    private readonly keys: SnapshotKeys = HOME_SCOPE_KEYS,
  ) {}

  async readState(): Promise<PollState> {
    // The meta row and the open jobs are independent reads: one round trip for both.
    const [meta, open] = await Promise.all([
      this.#call(() =>
        this.client.send(
          new GetCommand({ TableName: this.tableName, Key: { pk: this.keys.meta }, ConsistentRead: true }),
        ),
      ),
      this.#readOpen(),
    ]);
    return {
      watermark: this.#metaTime(meta.Item, "watermark"),
      open,
      firstRunStartedAt: this.#metaTime(meta.Item, "firstRunStartedAt"),
      historyBefore: this.#metaTime(meta.Item, "historyBefore"),
      deepReconciledAt: this.#metaTime(meta.Item, "deepReconciledAt"),
    };
  }

  /** A time the meta row keeps as an ISO string; a malformed one is reported and read as never set. */
  #metaTime(item: Record<string, unknown> | undefined, name: string): Date | null {
    const value = item?.[name];
    if (value === undefined) return null;
    if (isIso(value)) return new Date(value);
    this.diagnostics.warn("snapshot-meta-malformed", { reason: `${name} is not an ISO timestamp` });
    return null;
  }

  async #readOpen(): Promise<Map<string, StoredRecord>> {
    const open = new Map<string, StoredRecord>();
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: OPEN_JOBS_INDEX,
        KeyConditionExpression: "openShard = :open",
        ExpressionAttributeValues: { ":open": this.keys.openShard },
      },
    );
    await this.#call(async () => {
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const record = this.#toRecord(item);
          if (record) open.set(record.jobArn, record);
        }
      }
    });
    return open;
  }

  async getRecords(jobArns: readonly string[]): Promise<Map<string, StoredRecord>> {
    const records = new Map<string, StoredRecord>();
    const unique = [...new Set(jobArns)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let keys: Array<Record<string, unknown>> = unique
        .slice(start, start + BATCH_GET_LIMIT)
        .map((arn) => ({ pk: jobKey(arn) }));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= MAX_UNPROCESSED_ROUNDS)
          throw new NotifierError("DynamoDB left keys unprocessed after repeated retries");
        const requested = keys;
        const response = await this.#call(() =>
          this.client.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: requested, ConsistentRead: true } } }),
          ),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          const record = this.#toRecord(item);
          if (record) records.set(record.jobArn, record);
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keys.length > 0) await backoff(round);
      }
    }
    return records;
  }

  acquireLease(owner: string, now: Date, until: Date): Promise<boolean> {
    return this.#conditionalUpdate({
      Key: { pk: this.keys.meta },
      UpdateExpression: "SET leaseOwner = :owner, leaseUntil = :until, v = :v",
      ConditionExpression: "attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner",
      ExpressionAttributeValues: {
        ":owner": owner,
        ":until": until.getTime(),
        ":now": now.getTime(),
        ":v": ROW_VERSION,
      },
    });
  }

  async releaseLease(owner: string, progress: MetaProgress = {}): Promise<void> {
    const sets: string[] = [];
    const values: Record<string, unknown> = { ":owner": owner };
    if (progress.deepReconciledAt) {
      sets.push("deepReconciledAt = :deep");
      values[":deep"] = progress.deepReconciledAt.toISOString();
    }
    if (progress.historyBefore) {
      // Set once: it says when this notifier started watching, and so which jobs are history.
      sets.push("historyBefore = if_not_exists(historyBefore, :history)");
      values[":history"] = progress.historyBefore.toISOString();
    }
    const release = (withWatermark: boolean) => {
      const all = withWatermark ? [...sets, "watermark = :watermark"] : sets;
      return this.#conditionalUpdate({
        Key: { pk: this.keys.meta },
        UpdateExpression: `${all.length > 0 ? `SET ${all.join(", ")} ` : ""}REMOVE leaseOwner, leaseUntil`,
        // The watermark only moves forward (ISO timestamps in UTC with milliseconds compare correctly as strings).
        ConditionExpression:
          withWatermark && !progress.replaceWatermark
            ? "leaseOwner = :owner AND (attribute_not_exists(watermark) OR watermark < :watermark)"
            : "leaseOwner = :owner",
        ExpressionAttributeValues: withWatermark
          ? { ...values, ":watermark": progress.watermark?.toISOString() }
          : values,
      });
    };
    // A watermark behind the stored one is not written (another poll moved it further meanwhile); the rest is.
    const released = (progress.watermark && (await release(true))) || (await release(false));
    // Our lease ran out and another poll holds it now: its own release will move the watermark.
    if (!released) this.diagnostics.warn("lease-lost", { owner });
  }

  async beginFirstRun(startedAt: Date): Promise<Date> {
    const output = await this.#call(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: this.keys.meta },
          UpdateExpression: "SET firstRunStartedAt = if_not_exists(firstRunStartedAt, :start), v = :v",
          ExpressionAttributeValues: { ":start": startedAt.toISOString(), ":v": ROW_VERSION },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    const stored = output.Attributes?.firstRunStartedAt;
    return isIso(stored) ? new Date(stored) : startedAt;
  }

  advanceWatermark(watermark: Date, now: Date): Promise<boolean> {
    return this.#conditionalUpdate({
      Key: { pk: this.keys.meta },
      UpdateExpression: "SET watermark = :watermark",
      // ISO timestamps in UTC with milliseconds compare correctly as strings.
      ConditionExpression:
        "attribute_exists(watermark) AND watermark < :watermark AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
      ExpressionAttributeValues: { ":watermark": watermark.toISOString(), ":now": now.getTime() },
    });
  }

  /**
   * One conditional write per row, only where no row exists: a baseline never overwrites what another writer (or
   * a newer run) recorded, so even a writer that resumes after its lease expired cannot move a row back.
   */
  async recordBaseline(records: readonly SnapshotRecord[], now: Date): Promise<number> {
    const written = await mapWithConcurrency(records, BASELINE_WRITE_CONCURRENCY, (record) =>
      this.#conditionalUpdate(this.#setRow(record, now, "attribute_not_exists(pk)")),
    );
    return written.filter(Boolean).length;
  }

  /**
   * Every commit is conditional on the row being exactly what the writer decided on, so a writer that resumes after
   * its lease expired, after another writer moved the row on, changes nothing.
   */
  commit(record: SnapshotRecord, previous: StoredRecord | undefined, now: Date): Promise<boolean> {
    const extra: Record<string, unknown> = {};
    let condition: string;
    if (!previous) condition = "attribute_not_exists(pk)";
    else if (isMalformed(previous)) {
      // Still the same unreadable row: unchanged since it was read (a repair by anyone sets a new updatedAt).
      if (previous.updatedAt === undefined) condition = "attribute_exists(pk) AND attribute_not_exists(#updatedAt)";
      else {
        condition = "#updatedAt = :previousUpdatedAt";
        extra[":previousUpdatedAt"] = previous.updatedAt;
      }
    } else {
      condition = "#status = :previousStatus";
      extra[":previousStatus"] = previous.status;
    }
    const update = this.#setRow(record, now, condition);
    return this.#conditionalUpdate({
      ...update,
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...extra },
    });
  }

  /** One attribute per kind (`warned<Kind>`, the ISO time it was sent): the condition and the digest both read it. */
  recordWarning(jobArn: string, status: JobStatus, kind: WarningKind, now: Date): Promise<boolean> {
    return this.#conditionalUpdate({
      Key: { pk: jobKey(jobArn) },
      UpdateExpression: "SET #warned = :now",
      ConditionExpression: "#status = :status AND attribute_not_exists(#warned)",
      ExpressionAttributeNames: { "#status": "status", "#warned": `${WARNED_PREFIX}${kind}` },
      ExpressionAttributeValues: { ":now": now.toISOString(), ":status": status },
    });
  }

  /** An UpdateItem that sets the row for `record` under `condition` (which may name #status and #updatedAt). */
  #setRow(record: SnapshotRecord, now: Date, condition: string): Omit<UpdateCommandInput, "TableName"> {
    const item = this.#toItem(record, now);
    const { pk: _key, ...attributes } = item;
    const names: Record<string, string> = { "#status": "status", "#updatedAt": "updatedAt" };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    // A row that turns terminal leaves the open index and starts to expire; an open one must not expire.
    const removes = isTerminal(record.status) ? ["#openShard"] : ["#expiresAt"];
    for (const name of removes) names[name] = name.slice(1);
    // DynamoDB rejects names the expressions do not use.
    for (const name of ["#status", "#updatedAt"]) {
      if (!condition.includes(name) && !sets.some((set) => set.startsWith(`${name} `))) delete names[name];
    }
    return {
      Key: { pk: item.pk },
      UpdateExpression: `SET ${sets.join(", ")} REMOVE ${removes.join(", ")}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  #toItem(record: SnapshotRecord, now: Date): Record<string, unknown> {
    return snapshotRowItem(record, now, this.keys);
  }

  /**
   * Reads a row defensively: a row this version cannot trust comes back flagged `malformed` (its job is then
   * announced as first seen, which may repeat but never loses a status) and is reported.
   */
  #toRecord(item: Record<string, unknown>): StoredRecord | undefined {
    const pk = typeof item.pk === "string" ? item.pk : undefined;
    if (!pk?.startsWith(JOB_KEY_PREFIX)) return undefined;
    const jobArn = pk.slice(JOB_KEY_PREFIX.length);
    const problems: string[] = [];
    if (item.v !== ROW_VERSION) problems.push(`row version ${String(item.v)} is not ${ROW_VERSION}`);
    if (typeof item.status !== "string" || item.status.length === 0) problems.push("status is not a string");
    if (!isIso(item.submitTime)) problems.push("submitTime is not an ISO timestamp");
    if (item.lastModifiedTime !== undefined && !isIso(item.lastModifiedTime)) {
      problems.push("lastModifiedTime is not an ISO timestamp");
    }
    if (problems.length > 0) {
      const malformed: MalformedRecord = { jobArn, malformed: problems.join("; ") };
      if (typeof item.updatedAt === "string") malformed.updatedAt = item.updatedAt;
      return malformed;
    }
    const record: SnapshotRecord = {
      jobArn,
      status: item.status as string,
      submitTime: new Date(item.submitTime as string),
    };
    if (isIso(item.lastModifiedTime)) record.lastModifiedTime = new Date(item.lastModifiedTime);
    // A row written before warnings existed has no statusSince: it was written when its status was first seen.
    const since = isIso(item.statusSince) ? item.statusSince : isIso(item.updatedAt) ? item.updatedAt : undefined;
    if (since) record.statusSince = new Date(since);
    const warnedAt: Partial<Record<WarningKind, Date>> = {};
    for (const kind of WARNING_KINDS) {
      const sent = item[`${WARNED_PREFIX}${kind}`];
      if (isIso(sent)) warnedAt[kind] = new Date(sent);
    }
    const kinds = Object.keys(warnedAt) as WarningKind[];
    if (kinds.length > 0) {
      record.warned = kinds;
      record.warnedAt = warnedAt;
    }
    return record;
  }

  /** One conditional UpdateItem: true when applied, false when its condition did not hold. */
  async #conditionalUpdate(input: Omit<UpdateCommandInput, "TableName">): Promise<boolean> {
    try {
      await this.#call(() => this.client.send(new UpdateCommand({ ...input, TableName: this.tableName })));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if ((error as { name?: string })?.name === "ResourceNotFoundException") {
        throw new ResourceMissingError("table", this.tableName, { cause: error });
      }
      throw error;
    }
  }
}

function backoff(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
}
