import type { JobStatus } from "./status";
import type { WarningKind } from "./warnings";

/** What the notifier last recorded about a job: the status it last announced (or took as the baseline). */
export interface SnapshotRecord {
  jobArn: string;
  status: JobStatus;
  submitTime: Date;
  lastModifiedTime?: Date;
  /**
   * When the notifier first saw the job in `status` (written with the baseline and with every transition; a row
   * from before warnings existed reads its last write time instead). Read-only for writers: the store sets it.
   */
  statusSince?: Date;
  /** The warning kinds already sent for this job: each is sent at most once per job. */
  warned?: readonly WarningKind[];
  /** When each of them was sent (the daily digest counts the last 24 hours'). */
  warnedAt?: Partial<Record<WarningKind, Date>>;
}

/**
 * A stored row this version cannot read as its own (another row version, a missing status, a bad timestamp): what it
 * announced is unknown, so its job is announced as first seen, which may repeat a notification but never loses one.
 */
export interface MalformedRecord {
  jobArn: string;
  /** Why the row cannot be trusted, for the logs. */
  malformed: string;
  /** The row's updatedAt as stored, when it has one: a commit repairs the row only if it is still unchanged. */
  updatedAt?: string;
}

/** A row as read back from the snapshot. */
export type StoredRecord = SnapshotRecord | MalformedRecord;

export function isMalformed(record: StoredRecord): record is MalformedRecord {
  return "malformed" in record;
}

/** The status a row says was announced; null when there is no row or it cannot be trusted. */
export function announcedStatus(record: StoredRecord | undefined): JobStatus | null {
  return record && !isMalformed(record) ? record.status : null;
}
