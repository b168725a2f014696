import { changedSince, diffJobs, type FirstRunBehaviour, type SkipReason } from "../domain/diff";
import type { BatchJob } from "../domain/job";
import type { StoredRecord } from "../domain/snapshot";
import type { Transition } from "../domain/transition";

/**
 * A job can show up in a listing a little after its submit time (the listing is eventually consistent). Only
 * submissions older than this, at the time of a listing, count as surely seen: the watermark never passes
 * `listing time - overlap`, so later polls list that stretch again. Jobs already announced there cost one cheap read.
 */
export const WATERMARK_OVERLAP_MS = 10 * 60_000;
/** A job's status changes within this long of its submission: its timeout is at most 168 h, plus a day of margin. */
export const MAX_JOB_LIFETIME_MS = 8 * 24 * 60 * 60_000;

export interface PollOptions {
  firstRun: FirstRunBehaviour;
  lookBackMinutes: number;
}

/** Where the first run starts looking, and from which submit time it lists. */
export function firstRunWindow(options: PollOptions, startedAt: Date): { lookBackStart: Date; listFrom: Date } {
  const lookBackStart = new Date(startedAt.getTime() - options.lookBackMinutes * 60_000);
  // Listing filters by submit time only: a "notify" first run, which announces jobs that *changed* in the look-back
  // window, must also list jobs submitted up to a job's lifetime before it (one-off cost, first run only).
  const listFrom =
    options.firstRun === "notify" ? new Date(lookBackStart.getTime() - MAX_JOB_LIFETIME_MS) : lookBackStart;
  return { lookBackStart, listFrom };
}

/** What one poll saw: the snapshot's watermark, every job sighted, and the records it read for them. */
export interface Sighting {
  watermark: Date | null;
  /** Where the listing of new submissions started (the watermark, or the first run's window). */
  listedFrom: Date;
  /** Jobs listed as submitted since `listedFrom`: the watermark moves on their submit times. */
  recent: readonly BatchJob[];
  /** Every job sighted, one entry per ARN (latest sighting). */
  current: ReadonlyMap<string, BatchJob>;
  /** The records of the sighted jobs (later polls only: the first run reads them under the lease). */
  records: ReadonlyMap<string, StoredRecord>;
  /** Jobs tracked as open: they stay watched even when the watermark passes them. */
  open: ReadonlySet<string>;
}

export interface PollPlan {
  firstRun: boolean;
  /** Jobs to announce (decided again under the lease). */
  announce: BatchJob[];
  /** First run: jobs to record silently. */
  baseline?: BatchJob[];
  skipped: Array<{ jobArn: string; reason: SkipReason }>;
  /** Where the watermark goes when everything is delivered. */
  watermark: Date | null;
  /** Where the watermark goes once delivery left `undelivered` behind (null: nowhere yet). */
  watermarkAfter(undelivered: readonly Transition[]): Date | null;
}

/** Pure: what a poll announces, records and where its watermark goes, from what it sighted. */
export function planPoll(sighting: Sighting, options: PollOptions, startedAt: Date): PollPlan {
  // The watermark moves only on Bedrock's own evidence (the latest submit time listed), and never past
  // `poll start - overlap`: so neither a lagging listing nor a skewed local clock can make it skip a job.
  const latestSubmit = maxSubmitTime(sighting.recent);
  const surelySeen = new Date(startedAt.getTime() - WATERMARK_OVERLAP_MS);
  const reached = latestSubmit && latestSubmit > surelySeen ? surelySeen : latestSubmit;
  const sighted = [...sighting.current.values()];

  if (sighting.watermark === null) {
    const { lookBackStart } = firstRunWindow(options, startedAt);
    const announce = options.firstRun === "notify" ? changedSince(sighted, lookBackStart) : [];
    const announced = new Set(announce);
    const watermark = laterOf(sighting.listedFrom, reached) ?? sighting.listedFrom;
    return {
      firstRun: true,
      announce,
      baseline: sighted.filter((job) => !announced.has(job)),
      skipped: [],
      watermark,
      // The first run is complete only when everything it meant to announce went out; otherwise it runs again.
      watermarkAfter: (undelivered) => (undelivered.length === 0 ? watermark : null),
    };
  }

  const { transitions, skipped } = diffJobs(sighting.records, sighted);
  const candidate = laterOf(sighting.watermark, reached);
  const previous = sighting.watermark;
  return {
    firstRun: false,
    announce: transitions.map((transition) => transition.job),
    skipped,
    watermark: candidate,
    // Never moves the watermark past a job that still has to be announced and is not tracked as open.
    watermarkAfter: (undelivered) => {
      const heldBack = undelivered
        .filter((transition) => !sighting.open.has(transition.job.jobArn))
        .map((transition) => transition.job.submitTime.getTime() - 1);
      if (heldBack.length === 0) return candidate;
      return laterOf(previous, new Date(Math.min(...heldBack, candidate?.getTime() ?? Number.POSITIVE_INFINITY)));
    },
  };
}

function maxSubmitTime(jobs: readonly BatchJob[]): Date | null {
  let latest: Date | null = null;
  for (const job of jobs) if (!latest || job.submitTime > latest) latest = job.submitTime;
  return latest;
}

function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return b > a ? b : a;
}
