import type { BatchJob } from "./job";
import { isTerminal } from "./status";

// A job's statuses only move forward in this order; Stopping sits just before the terminal ones.
const PROGRESS: ReadonlyMap<string, number> = new Map(
  ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping"].map((status, rank) => [status, rank]),
);

/** How far along the lifecycle a status is (terminal ones last); -1 for a status this version does not know. */
export function progressOf(status: string): number {
  if (isTerminal(status)) return PROGRESS.size;
  return PROGRESS.get(status) ?? -1;
}

/** The later of two sightings of the same job (lists are read at different moments and may disagree). */
export function laterSighting(a: BatchJob, b: BatchJob): BatchJob {
  const aTime = a.lastModifiedTime?.getTime() ?? 0;
  const bTime = b.lastModifiedTime?.getTime() ?? 0;
  if (aTime !== bTime) return aTime > bTime ? a : b;
  return progressOf(b.status) > progressOf(a.status) ? b : a;
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
