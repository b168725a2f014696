import { changedSince, diffJobs, type FirstRunBehaviour, type SkipReason } from "../domain/diff";
import { type BatchJob, lastChangeOf } from "../domain/job";
import type { StoredRecord } from "../domain/snapshot";
import type { JobStatus } from "../domain/status";
import type { Transition } from "../domain/transition";
import type { WarningThresholds } from "../domain/warnings";
import type { MetaProgress } from "./ports";
import type { WindowScanOptions } from "./scan-window";

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
  /** The schedule's interval: a change older than the previous poll's start (minus the overlap) was missed. */
  intervalMinutes: number;
  /** The whole lifetime window is listed again at least this often (the deep reconciliation). */
  deepReconcileHours: number;
  /** How the lifetime window is listed; slices in parallel by default. */
  scan?: WindowScanOptions;
  /** The early warnings' thresholds; absent, no warning is computed. */
  warnings?: WarningThresholds;
}

/** The first run's instants: `startedAt` is the first attempt's, so a retried first run decides the same way. */
export function firstRunWindow(options: PollOptions, startedAt: Date): { lookBackStart: Date; listFrom: Date } {
  const lookBackStart = new Date(startedAt.getTime() - options.lookBackMinutes * 60_000);
  // Listing filters by submit time only: the first run lists every job that can still change (submitted within a
  // job's lifetime), whatever its status does meanwhile; a "notify" first run, which announces jobs that *changed*
  // in the look-back window, lists a lifetime before that window.
  const from = options.firstRun === "notify" ? lookBackStart : startedAt;
  return { lookBackStart, listFrom: new Date(from.getTime() - MAX_JOB_LIFETIME_MS) };
}

/** Whether this poll lists the whole lifetime window again. */
export function deepReconciliationDue(
  state: { watermark: Date | null; deepReconciledAt: Date | null },
  options: Pick<PollOptions, "deepReconcileHours">,
  startedAt: Date,
): boolean {
  if (state.watermark === null || state.deepReconciledAt === null) return true;
  return startedAt.getTime() - state.deepReconciledAt.getTime() >= options.deepReconcileHours * 3_600_000;
}

/** What one poll saw. */
export interface Sighting {
  watermark: Date | null;
  /** Where the listing of new submissions started (the watermark, or the first run's window). */
  listedFrom: Date;
  /** The latest submit time listed since `listedFrom`: the watermark moves on Bedrock's own evidence only. */
  latestSubmit: Date | null;
  /** Every job sighted, one entry per ARN (latest sighting). */
  current: ReadonlyMap<string, BatchJob>;
  /** Jobs the fast listings (new submissions, open statuses, Gets) saw; the rest came from the deep listing. */
  fast: ReadonlySet<string>;
  /** The records of the sighted jobs (later polls only: the first run reads them under the lease). */
  records: ReadonlyMap<string, StoredRecord>;
  /** Jobs tracked as open: they stay watched even when the watermark passes them. */
  open: ReadonlySet<string>;
  /** The first run's persisted start (null on later polls). */
  firstRunStartedAt: Date | null;
  /** Whether the whole lifetime window was listed. */
  deep: boolean;
  /** When this notifier started watching (for an upgraded table, this poll's start). */
  historyBefore: Date;
  /** Whether `historyBefore` must still be stored. */
  historyBeforeIsNew: boolean;
}

/** A change the fast path should have found earlier: announced late, by the deep reconciliation. */
export interface LateChange {
  jobArn: string;
  previousStatus: JobStatus | null;
  status: JobStatus;
  changedAt: Date;
  /** Why the fast path did not see it, for the log line. */
  reason: string;
}

export interface PollPlan {
  firstRun: boolean;
  /** Jobs to announce (decided again under the lease). */
  announce: BatchJob[];
  /** First run: jobs to record silently. */
  baseline?: BatchJob[];
  skipped: Array<{ jobArn: string; reason: SkipReason }>;
  late: LateChange[];
  /** Where the watermark goes when everything is delivered. */
  watermark: Date | null;
  /** Where the watermark goes once delivery left `undelivered` behind (null: nowhere yet). */
  watermarkAfter(undelivered: readonly Transition[]): Date | null;
  /** What the meta row records when the lease is given back, given what did not go out. */
  progressAfter(undelivered: readonly Transition[]): MetaProgress;
  /** Whether the meta row must be written even with nothing to announce (the daily deep reconciliation). */
  mustRecordProgress: boolean;
}

/** Pure: what a poll announces, records, reports as late, and where its watermark goes, from what it sighted. */
export function planPoll(sighting: Sighting, options: PollOptions, startedAt: Date): PollPlan {
  // The watermark moves only on Bedrock's own evidence (the latest submit time listed), and never past
  // `poll start - overlap`: so neither a lagging listing nor a skewed local clock can make it skip a job.
  const surelySeen = new Date(startedAt.getTime() - WATERMARK_OVERLAP_MS);
  const latest = sighting.latestSubmit;
  const reached = latest && latest > surelySeen ? surelySeen : latest;
  const sighted = [...sighting.current.values()];
  const deepDone: MetaProgress = sighting.deep ? { deepReconciledAt: startedAt } : {};
  const history: MetaProgress = sighting.historyBeforeIsNew ? { historyBefore: sighting.historyBefore } : {};

  if (sighting.watermark === null) {
    const { lookBackStart } = firstRunWindow(options, sighting.firstRunStartedAt ?? startedAt);
    const announce = options.firstRun === "notify" ? changedSince(sighted, lookBackStart) : [];
    const announced = new Set(announce);
    const watermark = laterOf(sighting.listedFrom, reached) ?? sighting.listedFrom;
    // The first run is complete only when everything it meant to announce went out; otherwise it runs again,
    // from the same persisted start.
    const watermarkAfter = (undelivered: readonly Transition[]) => (undelivered.length === 0 ? watermark : null);
    return {
      firstRun: true,
      announce,
      baseline: sighted.filter((job) => !announced.has(job)),
      skipped: [],
      late: [],
      watermark,
      watermarkAfter,
      progressAfter: (undelivered) =>
        undelivered.length === 0 ? { watermark, replaceWatermark: true, ...deepDone, ...history } : {},
      mustRecordProgress: true,
    };
  }

  const { transitions, skipped } = diffJobs(sighting.records, sighted);
  const candidate = laterOf(sighting.watermark, reached);
  const previous = sighting.watermark;
  // The previous poll started about one interval ago; a change older than its start (minus the listing overlap)
  // was there for it to see.
  const missedBefore = startedAt.getTime() - options.intervalMinutes * 60_000 - WATERMARK_OVERLAP_MS;
  const late = transitions
    .filter(({ job }) => !sighting.fast.has(job.jobArn) && lastChangeOf(job).getTime() < missedBefore)
    .map(({ job, previousStatus }) => ({
      jobArn: job.jobArn,
      previousStatus,
      status: job.status,
      changedAt: lastChangeOf(job),
      reason:
        previousStatus === null
          ? "no row: it became listable after the watermark passed its submit time, or its row was lost"
          : `its row still said ${previousStatus}: no listing or Get of the fast path showed the change`,
    }));
  const watermarkAfter = (undelivered: readonly Transition[]): Date | null => {
    // Never moves the watermark past a job that still has to be announced and is not tracked as open.
    const heldBack = undelivered
      .filter((transition) => !sighting.open.has(transition.job.jobArn))
      .map((transition) => transition.job.submitTime.getTime() - 1);
    if (heldBack.length === 0) return candidate;
    return laterOf(previous, new Date(Math.min(...heldBack, candidate?.getTime() ?? Number.POSITIVE_INFINITY)));
  };
  return {
    firstRun: false,
    announce: transitions.map((transition) => transition.job),
    skipped,
    late,
    watermark: candidate,
    watermarkAfter,
    progressAfter: (undelivered) => {
      const moved = watermarkAfter(undelivered);
      // What only the deep listing found is found only by it: it counts as done once all of that went out.
      const deepLeftBehind = undelivered.some(({ job }) => !sighting.fast.has(job.jobArn));
      return {
        ...(moved && moved !== previous ? { watermark: moved } : {}),
        ...(deepLeftBehind ? {} : deepDone),
        ...history,
      };
    },
    mustRecordProgress: sighting.deep || sighting.historyBeforeIsNew,
  };
}

export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return b > a ? b : a;
}
