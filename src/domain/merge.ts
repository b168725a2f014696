import type { BatchJob } from "./job";
import { isTerminal } from "./status";

// A job's statuses only move forward in this order; Stopping sits just before the terminal ones.
const PROGRESS: ReadonlyMap<string, number> = new Map(
  ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping"].map((status, rank) => [status, rank]),
);

function progressOf(job: BatchJob): number {
  if (isTerminal(job.status)) return PROGRESS.size;
  return PROGRESS.get(job.status) ?? -1;
}

/** The later of two sightings of the same job (lists are read at different moments and may disagree). */
export function laterSighting(a: BatchJob, b: BatchJob): BatchJob {
  const aTime = a.lastModifiedTime?.getTime() ?? 0;
  const bTime = b.lastModifiedTime?.getTime() ?? 0;
  if (aTime !== bTime) return aTime > bTime ? a : b;
  return progressOf(b) > progressOf(a) ? b : a;
}

/** One entry per job ARN, keeping the most recent sighting, when a job turns up in several list calls. */
export function mergeSightings(sightings: Iterable<BatchJob>): Map<string, BatchJob> {
  const merged = new Map<string, BatchJob>();
  for (const job of sightings) {
    const seen = merged.get(job.jobArn);
    merged.set(job.jobArn, seen ? laterSighting(seen, job) : job);
  }
  return merged;
}
