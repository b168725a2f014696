import type { JobStatus } from "./status";

/** What the notifier last recorded about a job: the status it last announced (null: claimed but never announced). */
export interface SnapshotRecord {
  jobArn: string;
  status: JobStatus | null;
  submitTime: Date;
  lastModifiedTime?: Date;
  /** Set when the stored row could not be read as written by this version; what it announced is unknown. */
  malformed?: string;
}
