import { mapWithConcurrency } from "./concurrency";
import {
  confirmAndDeliver,
  type DeliveryDependencies,
  type DeliveryInvocation,
  type DeliveryReport,
  deliver,
  emptyDeliveryReport,
  withLease,
} from "./deliver";
import { diffJobs, type FirstRunBehaviour, firstRunTransitions, recordOf } from "./domain/diff";
import type { BatchJob } from "./domain/job";
import { mergeSightings } from "./domain/merge";
import type { SnapshotRecord } from "./domain/snapshot";
import { OPEN_STATUSES } from "./domain/status";
import type { Transition } from "./domain/transition";
import type { JobSource, PollState } from "./ports";

/**
 * A job can show up in a listing a little after its submit time (the listing is eventually consistent). Only
 * submissions older than this, at the time of a listing, count as surely seen: the watermark never passes
 * `listing time - overlap`, so later polls list that stretch again. Jobs already announced there cost one cheap read.
 */
export const WATERMARK_OVERLAP_MS = 10 * 60_000;
/** A job's status changes within this long of its submission: its timeout is at most 168 h, plus a day of margin. */
const MAX_JOB_LIFETIME_MS = 8 * 24 * 60 * 60_000;
/** Bounded fan-out for GetModelInvocationJob on jobs that left every open list. */
const GET_CONCURRENCY = 5;

export interface PollOptions {
  firstRun: FirstRunBehaviour;
  lookBackMinutes: number;
}

export interface PollDependencies extends DeliveryDependencies {
  jobs: JobSource;
  options: PollOptions;
}

export type PollInvocation = DeliveryInvocation;

/**
 * quiet: nothing to announce; delivered: at least one event accepted by SNS; undelivered: there was something to
 * announce but nothing went out (SNS refused, or another poll had just sent it); baseline: a silent first run.
 */
export type PollOutcome = "quiet" | "delivered" | "undelivered" | "baseline" | "lease-busy";

export interface PollReport extends DeliveryReport {
  outcome: PollOutcome;
  firstRun: boolean;
  jobsSeen: number;
  /** Known open jobs that left every open list and were fetched one by one. */
  fetched: number;
  watermark: Date | null;
}

/**
 * One poll: find what changed → diff against the snapshot → publish → commit.
 *
 * Work scales with the jobs that can still change, not with history: one listing of jobs submitted since the
 * watermark, one per open status, and a Get only for known open jobs that left every open list (they finished).
 * Only the lease holder writes; a transition is committed only after SNS accepted it, so a failed publish is
 * retried by the next poll, and a poll that dies in between causes at most one re-send with the same eventId.
 */
export async function runPoll(deps: PollDependencies, invocation: PollInvocation): Promise<PollReport> {
  const { jobs, snapshot, clock } = deps;
  const startedAt = clock();
  // The open-status listings need nothing from the snapshot: start them while it is read.
  const openListing = Promise.all(OPEN_STATUSES.map((status) => jobs.listByStatus(status)));
  openListing.catch(() => undefined); // observed here so an early failure elsewhere leaves no unhandled rejection
  const state = await snapshot.readState();
  const firstRun = state.watermark === null;

  const lookBackStart = new Date(startedAt.getTime() - deps.options.lookBackMinutes * 60_000);
  // Listing filters by submit time only: a "notify" first run, which announces jobs that *changed* in the look-back
  // window, must also list jobs submitted up to a job's lifetime before it (one-off cost, first run only).
  const firstListing =
    deps.options.firstRun === "notify" ? new Date(lookBackStart.getTime() - MAX_JOB_LIFETIME_MS) : lookBackStart;
  const listedAfter = state.watermark ?? firstListing;
  const recent = await jobs.listSubmittedAfter(listedAfter);
  const openLists = await openListing;
  const current = mergeSightings([...recent, ...openLists.flat()]);

  const report: PollReport = {
    outcome: "quiet",
    firstRun,
    jobsSeen: current.size,
    fetched: 0,
    ...emptyDeliveryReport(),
    watermark: state.watermark,
  };

  // Known open jobs that appear in no list have moved on (usually to a terminal status): fetch each one.
  const vanished = [...state.open.keys()].filter((jobArn) => !current.has(jobArn));
  const fetched = await mapWithConcurrency(vanished, GET_CONCURRENCY, (jobArn) => jobs.getJob(jobArn));
  vanished.forEach((jobArn, index) => {
    const job = fetched[index];
    if (job) current.set(jobArn, job);
    else deps.diagnostics.warn("job-vanished", { jobArn });
  });
  report.fetched = vanished.length;

  // The watermark moves only on Bedrock's own evidence (the latest submit time listed), and never past
  // `poll start - overlap`: so neither a lagging listing nor a skewed local clock can make it skip a job.
  const latestSubmit = maxSubmitTime(recent);
  const surelySeen = new Date(startedAt.getTime() - WATERMARK_OVERLAP_MS);
  const reached = latestSubmit && latestSubmit > surelySeen ? surelySeen : latestSubmit;
  if (firstRun)
    return firstPoll(
      deps,
      invocation,
      report,
      [...current.values()],
      lookBackStart,
      laterOf(listedAfter, reached) ?? listedAfter,
    );

  // Records for every sighted job: open ones came with the state; the rest (recent, possibly already announced) are read.
  const records = new Map(state.open);
  const unknown = [...current.keys()].filter((jobArn) => !records.has(jobArn));
  if (unknown.length > 0) for (const [arn, record] of await snapshot.getRecords(unknown)) records.set(arn, record);
  reportMalformed(deps, records);

  const { transitions, skipped } = diffJobs(records, current.values());
  for (const skip of skipped) deps.diagnostics.warn("sighting-skipped", { jobArn: skip.jobArn, reason: skip.reason });

  const candidateWatermark = laterOf(state.watermark, reached);
  if (transitions.length === 0) {
    // Nothing to announce: move the watermark only when it lags behind what this poll surely saw (one write,
    // skipped when another poll holds the lease). A quiet poll in a quiet account writes nothing.
    if (candidateWatermark && candidateWatermark !== state.watermark) {
      if (await snapshot.advanceWatermark(candidateWatermark, clock())) report.watermark = candidateWatermark;
    }
    return report;
  }

  let watermark: Date | null = state.watermark;
  const leased = await withLease(deps, invocation, async () => {
    const jobsToAnnounce = transitions.map((transition) => transition.job);
    const undelivered = await confirmAndDeliver(deps, invocation, jobsToAnnounce, report);
    watermark = nextWatermark(state, candidateWatermark, undelivered);
    return watermark !== state.watermark ? (watermark ?? undefined) : undefined;
  });
  if (!leased) {
    report.outcome = "lease-busy";
    return report;
  }
  report.watermark = watermark;
  report.outcome = report.published > 0 ? "delivered" : "undelivered";
  return report;
}

async function firstPoll(
  deps: PollDependencies,
  invocation: PollInvocation,
  report: PollReport,
  sighted: BatchJob[],
  lookBackStart: Date,
  watermark: Date,
): Promise<PollReport> {
  const { snapshot, clock } = deps;
  const wanted = firstRunTransitions(sighted, deps.options.firstRun, lookBackStart);
  const wantedArns = new Set(wanted.map((transition) => transition.job.jobArn));
  let announce: Transition[] = [];
  let complete = false;
  const leased = await withLease(deps, invocation, async () => {
    // A first run that stopped part-way, or overlapped another, has already announced and recorded some jobs:
    // decide against what is stored, so running it again re-sends nothing committed and overwrites no row.
    const stored = await snapshot.getRecords(sighted.map((job) => job.jobArn));
    reportMalformed(deps, stored);
    announce = diffJobs(
      stored,
      wanted.map((transition) => transition.job),
    ).transitions;
    const baseline = sighted.filter((job) => !wantedArns.has(job.jobArn) && !stored.has(job.jobArn));
    await snapshot.recordBaseline(baseline.map(recordOf), clock());
    const undelivered = await deliver(deps, invocation, announce, stored, report);
    // The first run is complete only when everything it meant to announce went out; otherwise it runs again.
    complete = undelivered.length === 0;
    return complete ? watermark : undefined;
  });
  if (!leased) {
    report.outcome = "lease-busy";
    return report;
  }
  report.watermark = complete ? watermark : null;
  report.outcome = announce.length === 0 ? "baseline" : report.published > 0 ? "delivered" : "undelivered";
  return report;
}

/** Never moves the watermark past a job that still has to be announced and is not tracked as open. */
function nextWatermark(state: PollState, candidate: Date | null, undelivered: readonly Transition[]): Date | null {
  const heldBack = undelivered
    .filter((transition) => !state.open.has(transition.job.jobArn))
    .map((transition) => transition.job.submitTime.getTime() - 1);
  if (heldBack.length === 0) return candidate;
  return laterOf(state.watermark, new Date(Math.min(...heldBack, candidate?.getTime() ?? Number.POSITIVE_INFINITY)));
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

function reportMalformed(deps: DeliveryDependencies, records: ReadonlyMap<string, SnapshotRecord>): void {
  for (const record of records.values()) {
    if (record.malformed)
      deps.diagnostics.warn("snapshot-row-malformed", { jobArn: record.jobArn, reason: record.malformed });
  }
}
