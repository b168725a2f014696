import type { BatchJob } from "../domain/job";
import type { OutboundMessage } from "../domain/message";
import type { SnapshotRecord, StoredRecord } from "../domain/snapshot";
import type { JobStatus } from "../domain/status";

/** Read access to Bedrock batch jobs. */
export interface JobSource {
  /** Every job submitted strictly after `after`, all pages. */
  listSubmittedAfter(after: Date): Promise<BatchJob[]>;
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
}

/** The DynamoDB snapshot: what was announced, plus a lease so only one writer sends at a time. */
export interface SnapshotStore {
  readState(): Promise<PollState>;
  /** Strongly consistent records for these jobs (missing ones are absent from the map). */
  getRecords(jobArns: readonly string[]): Promise<Map<string, StoredRecord>>;
  /** Takes the writer lease until `until`, unless another owner holds an unexpired one. */
  acquireLease(owner: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease back and, when given, moves the watermark forward (never back). */
  releaseLease(owner: string, watermark?: Date): Promise<void>;
  /** Moves the watermark forward (never back) without taking the lease; false when a poll holds the lease. */
  advanceWatermark(watermark: Date, now: Date): Promise<boolean>;
  /** Records statuses without announcing them (first-run baseline). Call only while holding the lease. */
  recordBaseline(records: readonly SnapshotRecord[], now: Date): Promise<void>;
  /**
   * Records that `record.status` was announced, only if the row is still what `previous` says (absent when the job
   * had no row). False when another writer got there first.
   */
  commit(record: SnapshotRecord, previous: StoredRecord | undefined, now: Date): Promise<boolean>;
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
