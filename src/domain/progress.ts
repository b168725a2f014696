import type { BatchJob } from "./job";

const HOUR_MS = 3_600_000;

/** How far a job has got, from the counts every job summary carries: no extra call. */
export interface Progress {
  processed: number | null;
  /** Null while Bedrock does not know it yet (it reports 0 while a job validates). */
  total: number | null;
  /** Failed records over processed records, 0–1; null before anything is processed. */
  errorRate: number | null;
  /** Records processed per hour since the job started running; null when unknown. */
  recordsPerHour: number | null;
  /** When the remaining records would be done at that rate; null when unknown. */
  eta: Date | null;
}

/** Why a job's counts cannot be trusted, or null when they can (absent counts are merely unknown, not bad). */
export function countsProblem(job: BatchJob): string | null {
  const { total, processed, success, error } = job.records ?? {};
  const values = [total, processed, success, error].filter((value): value is number => value !== undefined);
  if (values.some((value) => !Number.isFinite(value) || value < 0)) return "record counts are negative";
  if (total !== undefined && total > 0 && processed !== undefined && processed > total)
    return "more records processed than the total";
  if (processed !== undefined && (success ?? 0) + (error ?? 0) > processed)
    return "more records succeeded and failed than processed";
  return null;
}

/**
 * The job's progress at `now`. `runningSince` is when it started running (InProgress): the rate is measured from
 * there, as the job's own throughput; without it, no rate and no ETA.
 */
export function jobProgress(job: BatchJob, now: Date, runningSince?: Date): Progress {
  const { total: rawTotal, processed: rawProcessed, error } = job.records ?? {};
  const trusted = countsProblem(job) === null;
  const processed = trusted && rawProcessed !== undefined ? rawProcessed : null;
  const total = trusted && rawTotal !== undefined && rawTotal > 0 ? rawTotal : null;
  const errorRate = processed !== null && processed > 0 && error !== undefined ? error / processed : null;
  let recordsPerHour: number | null = null;
  let eta: Date | null = null;
  const end = job.endTime ?? now;
  if (runningSince && processed !== null && processed > 0) {
    const hours = (end.getTime() - runningSince.getTime()) / HOUR_MS;
    if (hours > 0) recordsPerHour = processed / hours;
  }
  if (recordsPerHour !== null && total !== null && processed !== null && processed < total && !job.endTime) {
    eta = new Date(now.getTime() + ((total - processed) / recordsPerHour) * HOUR_MS);
  }
  return { processed, total, errorRate, recordsPerHour, eta };
}
