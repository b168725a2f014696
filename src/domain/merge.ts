import type { BatchJob } from "./job";
import { progressOf } from "./status";

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
