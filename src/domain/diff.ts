import { type BatchJob, lastChangeOf } from "./job";
import { isMalformed, type SnapshotRecord, type StoredRecord } from "./snapshot";
import { isTerminal, progressOf } from "./status";
import type { Transition } from "./transition";

export type SkipReason = "stale" | "terminal-already-announced" | "backwards";

export interface DiffResult {
  transitions: Transition[];
  /** Sightings ignored on purpose, for logs and metrics. */
  skipped: Array<{ jobArn: string; reason: SkipReason }>;
}

/**
 * Previous snapshot + current sightings → what to announce. Several changes between two polls collapse into
 * one transition from the recorded status to the current one; unchanged jobs produce nothing.
 *
 * `snapshot` must hold a record for every job in `jobs` that has one; a job without a record is announced as
 * first seen (previousStatus null).
 */
export function diffJobs(snapshot: ReadonlyMap<string, StoredRecord>, jobs: Iterable<BatchJob>): DiffResult {
  const transitions: Transition[] = [];
  const skipped: DiffResult["skipped"] = [];
  for (const job of jobs) {
    const record = snapshot.get(job.jobArn);
    const known = record && !isMalformed(record) ? record : undefined;
    if (known?.status === job.status) continue;
    if (known) {
      const previousStatus = known.status;
      // A terminal status never changes: a different status now can only be a stale list page.
      if (isTerminal(previousStatus)) {
        skipped.push({ jobArn: job.jobArn, reason: "terminal-already-announced" });
        continue;
      }
      // Older than what was already announced: a lagging read, not news. Unless the status is further along:
      // no lagging read can show that, while a record stamped in the future (a clock glitch) would otherwise
      // hide every later change of the job until real time caught up with it.
      if (
        known.lastModifiedTime &&
        job.lastModifiedTime &&
        job.lastModifiedTime < known.lastModifiedTime &&
        !isFurtherAlong(job.status, previousStatus)
      ) {
        skipped.push({ jobArn: job.jobArn, reason: "stale" });
        continue;
      }
      // Statuses only move forward, so an earlier one is a stale read even when its timestamps say otherwise (and
      // lastModifiedTime is optional): announcing it would also give the job's real next move the wrong
      // previousStatus.
      if (isEarlier(job.status, previousStatus)) {
        skipped.push({ jobArn: job.jobArn, reason: "backwards" });
        continue;
      }
    }
    transitions.push({ job, previousStatus: known?.status ?? null });
  }
  return { transitions, skipped };
}

/** Statuses only move forward: a known status later in the lifecycle than the recorded one is news. */
function isFurtherAlong(status: string, recorded: string): boolean {
  const from = progressOf(recorded);
  return from >= 0 && progressOf(status) > from;
}

/** A known status earlier in the lifecycle than the recorded one (a status this version does not know is neither). */
function isEarlier(status: string, recorded: string): boolean {
  const to = progressOf(status);
  return to >= 0 && to < progressOf(recorded);
}

export type FirstRunBehaviour = "baseline" | "notify";

/**
 * The very first poll has nothing to compare with. "baseline" records what exists and announces nothing;
 * "notify" announces, as first seen, the jobs that changed inside the look-back window: this selects them.
 */
export function changedSince(jobs: Iterable<BatchJob>, start: Date): BatchJob[] {
  return [...jobs].filter((job) => lastChangeOf(job) >= start);
}

/** The record that stands for `job` once its status has been announced (or taken as the baseline). */
export function recordOf(job: BatchJob): SnapshotRecord {
  const record: SnapshotRecord = { jobArn: job.jobArn, status: job.status, submitTime: job.submitTime };
  if (job.lastModifiedTime) record.lastModifiedTime = job.lastModifiedTime;
  return record;
}
