import type { BatchJob } from "./job";
import type { JobStatus } from "./status";

/** A job whose status differs from the last one announced; `previousStatus` is null for a job seen for the first time. */
export interface Transition {
  job: BatchJob;
  previousStatus: JobStatus | null;
}
