import type { BatchJob } from "../domain/job";
import type { OutboundMessage } from "../domain/message";
import type { SnapshotRecord, StoredRecord } from "../domain/snapshot";
import type { JobStatus } from "../domain/status";
import type { WarningKind } from "../domain/warnings";

/** Read access to Bedrock batch jobs. */
export interface JobSource {
  /** Every job submitted strictly after `after`, all pages. */
  listSubmittedAfter(after: Date): Promise<BatchJob[]>;
  /**
   * The jobs submitted strictly between `after` and `before`, page by page as Bedrock returns them, so a caller can
   * go through a large window without holding it. A page may repeat after a listing restarts.
   */
  pagesSubmittedBetween(after: Date, before: Date): AsyncIterable<BatchJob[]>;
  /** Every job currently in `status`, all pages. */
  listByStatus(status: JobStatus): Promise<BatchJob[]>;
  /** One job, or undefined when Bedrock no longer knows it. */
  getJob(jobArn: string): Promise<BatchJob | undefined>;
}

/** The state a poll starts from. */
export interface PollState {
  /** Submit time (Bedrock's clock) up to which every job has been seen; null before the first complete poll. */
  watermark: Date | null;
  /** Jobs whose last announced status was not terminal. */
  open: Map<string, StoredRecord>;
  /** When the first attempt of the first run started: a retried first run decides from the same instant. */
  firstRunStartedAt: Date | null;
  /** When this notifier started watching: a job whose last change is older and that has no row is history. */
  historyBefore: Date | null;
  /** When the whole lifetime window was last listed (the daily deep reconciliation). */
  deepReconciledAt: Date | null;
}

/** What a writer records in the meta row as it gives the lease back. */
export interface MetaProgress {
  /** Moved forward only: a watermark behind the stored one is ignored... */
  watermark?: Date;
  /** ...unless the stored one could not be read at all (the first run after a malformed meta row). */
  replaceWatermark?: boolean;
  deepReconciledAt?: Date;
  /** Set once, the first time it is given. */
  historyBefore?: Date;
}

/** The DynamoDB snapshot: what was announced, plus a lease so only one writer sends at a time. */
export interface SnapshotStore {
  readState(): Promise<PollState>;
  /** Strongly consistent records for these jobs (missing ones are absent from the map). */
  getRecords(jobArns: readonly string[]): Promise<Map<string, StoredRecord>>;
  /** Takes the writer lease until `until`, unless another owner holds an unexpired one. */
  acquireLease(owner: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease back, recording the progress given (the watermark only ever moves forward). */
  releaseLease(owner: string, progress?: MetaProgress): Promise<void>;
  /** Records when the first run started, unless an earlier attempt did; returns the stored instant. */
  beginFirstRun(startedAt: Date): Promise<Date>;
  /** Moves the watermark forward (never back) without taking the lease; false when a poll holds the lease. */
  advanceWatermark(watermark: Date, now: Date): Promise<boolean>;
  /**
   * Records statuses without announcing them (first-run baseline), only for jobs that have no row: it never
   * overwrites. Returns how many rows it wrote.
   */
  recordBaseline(records: readonly SnapshotRecord[], now: Date): Promise<number>;
  /**
   * Records that `record.status` was announced, only if the row is still what `previous` says (absent when the job
   * had no row). False when another writer got there first.
   */
  commit(record: SnapshotRecord, previous: StoredRecord | undefined, now: Date): Promise<boolean>;
  /**
   * Records that the warning `kind` was sent for the job, only if its row still says `status` and does not list the
   * kind yet. False when the row moved on or another writer recorded it first.
   */
  recordWarning(jobArn: string, status: JobStatus, kind: WarningKind, now: Date): Promise<boolean>;
}

/**
 * Where adapters and the use case report input they skipped on purpose (a malformed job summary, a malformed
 * snapshot row, a vanished job). Never receives a job's failure message: it is sensitive.
 */
export interface Diagnostics {
  warn(kind: string, details: Record<string, string | number | boolean | undefined>): void;
}

export interface PublishOutcome {
  id: string;
  ok: boolean;
  error?: string;
}

/**
 * Delivers outbound messages, in order, in as many requests as the transport needs (its batching is its own).
 * Yields each request's outcomes, per message, as soon as it is answered, since a request can fail partially; a
 * caller that stops iterating stops publishing, which is how a poll stops before its deadline.
 */
export interface Publisher {
  publish(messages: readonly OutboundMessage[]): AsyncIterable<PublishOutcome[]>;
}
