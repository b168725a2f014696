import type { BatchJob } from "../../src/domain/job";
import type { OutboundMessage } from "../../src/domain/message";
import { type Scope, scopeId } from "../../src/domain/scope";
import { announcedStatus, isMalformed, type SnapshotRecord, type StoredRecord } from "../../src/domain/snapshot";
import { isTerminal, type JobStatus } from "../../src/domain/status";
import type { WarningKind } from "../../src/domain/warnings";
import type {
  Diagnostics,
  JobSource,
  MetaProgress,
  PollState,
  Publisher,
  PublishOutcome,
  SnapshotStore,
} from "../../src/poll/ports";
import { at, minutes, T0 } from "./factories";

/** A clock tests move by hand. */
export class FakeClock {
  #now: number;
  constructor(start: Date = T0) {
    this.#now = start.getTime();
  }
  readonly now = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
  set(date: Date): void {
    this.#now = date.getTime();
  }
}

/** Diagnostics that remember every warning. */
export class RecordingDiagnostics implements Diagnostics {
  readonly warnings: Array<{ kind: string; details: Record<string, string | number | boolean | undefined> }> = [];
  warn(kind: string, details: Record<string, string | number | boolean | undefined>): void {
    this.warnings.push({ kind, details });
  }
  kinds(): string[] {
    return this.warnings.map((warning) => warning.kind);
  }
}

/**
 * Bedrock in memory: a mutable set of jobs, listed the way the real API filters them (strictly after a submit time,
 * or by exact status). Counts calls per operation and can be told to fail.
 */
export class FakeJobSource implements JobSource {
  readonly jobs = new Map<string, BatchJob>();
  readonly calls = { listSubmittedAfter: 0, listByStatus: 0, getJob: 0 };
  readonly gotJobs: string[] = [];
  /** The `after` argument of every listSubmittedAfter call. */
  readonly listedAfter: Date[] = [];
  /** Every window listed page by page, and the pages it took. */
  readonly windows: Array<{ after: Date; before: Date; pages: number }> = [];
  /** Jobs per page of a windowed listing (Bedrock's maximum is 1000). */
  pageSize = 1000;
  /** When set, every call rejects with it. */
  failure: Error | undefined;

  constructor(jobs: Iterable<BatchJob> = []) {
    for (const job of jobs) this.put(job);
  }

  /** Adds or replaces a job. */
  put(job: BatchJob): void {
    this.jobs.set(job.jobArn, { ...job });
  }

  /** Changes a job in place (status, times, ...). */
  update(jobArn: string, changes: Partial<BatchJob>): BatchJob {
    const job = this.jobs.get(jobArn);
    if (!job) throw new Error(`no such job ${jobArn}`);
    const updated = { ...job, ...changes };
    this.jobs.set(jobArn, updated);
    return updated;
  }

  remove(jobArn: string): void {
    this.jobs.delete(jobArn);
  }

  /** List calls made so far (one page each). */
  get listCalls(): number {
    return this.calls.listSubmittedAfter + this.calls.listByStatus + this.windowPages;
  }

  /** Pages listed by windowed listings. */
  get windowPages(): number {
    return this.windows.reduce((sum, window) => sum + window.pages, 0);
  }

  get totalCalls(): number {
    return this.listCalls + this.calls.getJob;
  }

  async listSubmittedAfter(after: Date): Promise<BatchJob[]> {
    this.calls.listSubmittedAfter++;
    this.listedAfter.push(after);
    this.#failIfTold();
    return this.#copies((job) => job.submitTime.getTime() > after.getTime());
  }

  async listByStatus(status: JobStatus): Promise<BatchJob[]> {
    this.calls.listByStatus++;
    this.#failIfTold();
    return this.#copies((job) => job.status === status);
  }

  async *pagesSubmittedBetween(after: Date, before: Date): AsyncGenerator<BatchJob[]> {
    const window = { after, before, pages: 0 };
    this.windows.push(window);
    const jobs = this.#copies(
      (job) => job.submitTime.getTime() > after.getTime() && job.submitTime.getTime() < before.getTime(),
    );
    let start = 0;
    do {
      window.pages++;
      this.#failIfTold();
      yield jobs.slice(start, start + this.pageSize);
      start += this.pageSize;
    } while (start < jobs.length);
  }

  async getJob(jobArn: string): Promise<BatchJob | undefined> {
    this.calls.getJob++;
    this.gotJobs.push(jobArn);
    this.#failIfTold();
    const job = this.jobs.get(jobArn);
    return job ? { ...job } : undefined;
  }

  #copies(keep: (job: BatchJob) => boolean): BatchJob[] {
    return [...this.jobs.values()]
      .filter(keep)
      .sort((a, b) => a.submitTime.getTime() - b.submitTime.getTime())
      .map((job) => ({ ...job }));
  }

  #failIfTold(): void {
    if (this.failure) throw this.failure;
  }
}

/** A stored row: the record plus what the DynamoDB adapter would also keep. */
export interface FakeRow {
  record: StoredRecord;
  updatedAt: Date;
  /** Epoch seconds, set on terminal rows (the adapter's TTL attribute). */
  expiresAt?: number;
}

/** A row as the adapter reads it back: one written before warnings existed was first seen when it was written. */
function asRead(row: FakeRow): StoredRecord {
  if (isMalformed(row.record)) return { ...row.record };
  return { ...row.record, statusSince: row.record.statusSince ?? row.updatedAt };
}

/**
 * The snapshot in a Map, with the same lease and commit conditions as the DynamoDB adapter:
 * - acquireLease succeeds when no lease is held, the held one expired (`until < now`), or the owner already holds it;
 * - releaseLease by a non-owner changes nothing and warns "lease-lost"; with a watermark, the owner stores it;
 * - advanceWatermark only moves an existing watermark forward, and only while no unexpired lease is held;
 * - commit requires: no row (previous absent), any row (previous malformed), or the same status (otherwise).
 */
export class FakeSnapshotStore implements SnapshotStore {
  readonly rows = new Map<string, FakeRow>();
  watermark: Date | null = null;
  firstRunStartedAt: Date | null = null;
  historyBefore: Date | null = null;
  deepReconciledAt: Date | null = null;
  lease: { owner: string; until: number } | undefined;
  /** Every mutating call, in order: what a test means by "writes nothing". */
  readonly writes: string[] = [];
  readonly leaseRequests: string[] = [];

  constructor(private readonly diagnostics: Diagnostics = new RecordingDiagnostics()) {}

  /** Stores a row directly, as an earlier poll would have. */
  seed(record: StoredRecord, updatedAt: Date = T0): void {
    this.rows.set(record.jobArn, { record: { ...record }, updatedAt });
  }

  /** The status a row holds; null for a malformed row, undefined for none. */
  statusOf(jobArn: string): string | null | undefined {
    const row = this.rows.get(jobArn);
    return row ? announcedStatus(row.record) : undefined;
  }

  async readState(): Promise<PollState> {
    const open = new Map<string, StoredRecord>();
    for (const [jobArn, row] of this.rows) {
      if (isMalformed(row.record) || !isTerminal(row.record.status)) open.set(jobArn, asRead(row));
    }
    return {
      watermark: this.watermark,
      open,
      firstRunStartedAt: this.firstRunStartedAt,
      historyBefore: this.historyBefore,
      deepReconciledAt: this.deepReconciledAt,
    };
  }

  async getRecords(jobArns: readonly string[]): Promise<Map<string, StoredRecord>> {
    const records = new Map<string, StoredRecord>();
    for (const jobArn of jobArns) {
      const row = this.rows.get(jobArn);
      if (row) records.set(jobArn, asRead(row));
    }
    return records;
  }

  async acquireLease(owner: string, now: Date, until: Date): Promise<boolean> {
    this.leaseRequests.push(owner);
    if (this.lease && this.lease.owner !== owner && this.lease.until >= now.getTime()) return false;
    this.writes.push(`acquireLease:${owner}`);
    this.lease = { owner, until: until.getTime() };
    return true;
  }

  async releaseLease(owner: string, progress: MetaProgress = {}): Promise<void> {
    if (this.lease?.owner !== owner) {
      this.diagnostics.warn("lease-lost", { owner });
      return;
    }
    this.writes.push(`releaseLease:${owner}`);
    this.lease = undefined;
    const { watermark, deepReconciledAt, historyBefore } = progress;
    const forward = this.watermark === null || progress.replaceWatermark || (watermark && watermark > this.watermark);
    if (watermark && forward) this.watermark = watermark;
    if (deepReconciledAt) this.deepReconciledAt = deepReconciledAt;
    if (historyBefore && this.historyBefore === null) this.historyBefore = historyBefore;
  }

  async beginFirstRun(startedAt: Date): Promise<Date> {
    if (this.firstRunStartedAt === null) {
      this.writes.push("beginFirstRun");
      this.firstRunStartedAt = startedAt;
    }
    return this.firstRunStartedAt;
  }

  async advanceWatermark(watermark: Date, now: Date): Promise<boolean> {
    const leaseHeld = this.lease !== undefined && this.lease.until >= now.getTime();
    if (this.watermark === null || this.watermark.getTime() >= watermark.getTime() || leaseHeld) return false;
    this.writes.push("advanceWatermark");
    this.watermark = watermark;
    return true;
  }

  async recordBaseline(records: readonly SnapshotRecord[], now: Date): Promise<number> {
    const unrecorded = records.filter((record) => !this.rows.has(record.jobArn));
    this.writes.push(`recordBaseline:${unrecorded.length}`);
    for (const record of unrecorded) this.#store(record, now);
    return unrecorded.length;
  }

  async commit(record: SnapshotRecord, previous: StoredRecord | undefined, now: Date): Promise<boolean> {
    const row = this.rows.get(record.jobArn);
    const allowed = !previous
      ? !row
      : isMalformed(previous)
        ? row !== undefined
        : this.statusOf(record.jobArn) === previous.status;
    if (!allowed) return false;
    this.writes.push(`commit:${record.jobArn}:${record.status}`);
    this.#store(record, now);
    return true;
  }

  async recordWarning(jobArn: string, status: JobStatus, kind: WarningKind, now: Date): Promise<boolean> {
    const row = this.rows.get(jobArn);
    if (!row || isMalformed(row.record) || row.record.status !== status) return false;
    if (row.record.warned?.includes(kind)) return false;
    this.writes.push(`recordWarning:${jobArn}:${kind}`);
    row.record = {
      ...row.record,
      warned: [...(row.record.warned ?? []), kind],
      warnedAt: { ...row.record.warnedAt, [kind]: now },
    };
    return true;
  }

  /** As the adapter: the status is first seen now, and the warnings already sent stay with the job. */
  #store(record: SnapshotRecord, now: Date): void {
    const before = this.rows.get(record.jobArn)?.record;
    const kept = before && !isMalformed(before) ? { warned: before.warned, warnedAt: before.warnedAt } : {};
    const row: FakeRow = {
      record: {
        ...record,
        statusSince: now,
        ...(kept.warned ? { warned: kept.warned, warnedAt: kept.warnedAt } : {}),
      },
      updatedAt: now,
    };
    if (isTerminal(record.status)) row.expiresAt = Math.floor(now.getTime() / 1000) + 14 * 24 * 60 * 60;
    this.rows.set(record.jobArn, row);
  }
}

/**
 * SNS in memory: remembers every attempt and what was accepted; chosen ids (or everything) can fail. Answers in
 * requests of at most `batchSize` messages, as PublishBatch does.
 */
export class FakePublisher implements Publisher {
  /** Every message offered, accepted or not, in order. */
  readonly attempted: OutboundMessage[] = [];
  /** Messages accepted, in order. */
  readonly sent: OutboundMessage[] = [];
  /** Number of publish requests. */
  calls = 0;
  readonly failingIds = new Set<string>();
  /** When set, publish rejects with it (as an unexpected SDK error would). */
  failure: Error | undefined;
  /** Runs at the start of every publish request: lets a test move the clock while "SNS" is busy. */
  onPublish: ((messages: readonly OutboundMessage[]) => void) | undefined;

  constructor(private readonly batchSize = 10) {}

  async *publish(messages: readonly OutboundMessage[]): AsyncGenerator<PublishOutcome[]> {
    for (let start = 0; start < messages.length; start += this.batchSize) {
      const batch = messages.slice(start, start + this.batchSize);
      this.calls++;
      this.onPublish?.(batch);
      if (this.failure) throw this.failure;
      yield batch.map((message) => {
        this.attempted.push(message);
        if (this.failingIds.has(message.id)) return { id: message.id, ok: false, error: "InternalError: injected" };
        this.sent.push(message);
        return { id: message.id, ok: true };
      });
    }
  }

  /** The accepted messages' bodies, parsed. */
  sentEvents(): Array<Record<string, unknown> & { eventId: string; previousStatus: string | null; job: BatchJobView }> {
    return this.sent.map((message) => JSON.parse(message.body));
  }
}

interface BatchJobView {
  jobArn: string;
  status: string;
  message: string | null;
}

/**
 * Makes another writer commit `from -> to` for `job` just before the next lease is taken: the race that the
 * re-read under the lease exists for.
 */
export function commitBeforeNextLease(
  snapshot: FakeSnapshotStore,
  job: Pick<BatchJob, "jobArn" | "submitTime">,
  from: string,
  to: string,
): void {
  const acquire = snapshot.acquireLease.bind(snapshot);
  snapshot.acquireLease = async (owner, now, until) => {
    await snapshot.commit(
      { jobArn: job.jobArn, status: to, submitTime: job.submitTime },
      { jobArn: job.jobArn, status: from, submitTime: job.submitTime },
      now,
    );
    return acquire(owner, now, until);
  };
}

/** The delivery dependencies (snapshot, publisher, diagnostics, clock at T0) every use-case test starts from. */
export function fakeDeliveryDeps() {
  const clock = new FakeClock(T0);
  const diagnostics = new RecordingDiagnostics();
  const snapshot = new FakeSnapshotStore(diagnostics);
  const publisher = new FakePublisher();
  return { clock, diagnostics, snapshot, publisher, deps: { snapshot, publisher, diagnostics, clock: clock.now } };
}

/** Every outcome of a publish, in order: drains the publisher's requests as deliver does. */
export async function publishAll(
  publisher: Publisher,
  messages: readonly OutboundMessage[],
): Promise<PublishOutcome[]> {
  const outcomes: PublishOutcome[] = [];
  for await (const batch of publisher.publish(messages)) outcomes.push(...batch);
  return outcomes;
}

/**
 * Scopes in memory: each (account, region) gets its own FakeJobSource and FakeSnapshotStore (past its first run),
 * built on first use; `access` is a ScopeAccessFactory that records which scopes were asked for.
 */
export function fakeScopes(diagnostics: Diagnostics, { deepReconciledAt }: { deepReconciledAt?: Date } = {}) {
  const fakes = new Map<string, { jobs: FakeJobSource; snapshot: FakeSnapshotStore }>();
  const asked: string[] = [];
  const fakesOf = (scope: Scope) => {
    const key = scopeId(scope);
    let access = fakes.get(key);
    if (!access) {
      const snapshot = new FakeSnapshotStore(diagnostics);
      snapshot.watermark = at(-minutes(10));
      if (deepReconciledAt) snapshot.deepReconciledAt = deepReconciledAt;
      access = { jobs: new FakeJobSource(), snapshot };
      fakes.set(key, access);
    }
    return access;
  };
  const access = (scope: Scope) => {
    asked.push(scopeId(scope));
    return fakesOf(scope);
  };
  return { fakesOf, access, asked };
}
