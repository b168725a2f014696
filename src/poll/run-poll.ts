import { diffJobs } from "../domain/diff";
import { type BatchJob, lastChangeOf } from "../domain/job";
import { mergeSightings } from "../domain/merge";
import { jobProgress } from "../domain/progress";
import { isMalformed, type StoredRecord } from "../domain/snapshot";
import { isTerminal, OPEN_STATUSES } from "../domain/status";
import { inStatusSince, warningsFor } from "../domain/warnings";
import { announceUnderLease, reportMalformed } from "./announce";
import { mapWithConcurrency } from "./concurrency";
import { type DeliveryCounts, type DeliveryDependencies, NO_DELIVERY } from "./deliver";
import { NO_WARNINGS, type PendingWarning, type WarningCounts } from "./deliver-warnings";
import type { Invocation } from "./invocation";
import {
  deepReconciliationDue,
  firstRunWindow,
  type LateChange,
  laterOf,
  MAX_JOB_LIFETIME_MS,
  type PollOptions,
  planPoll,
  type Sighting,
  WATERMARK_OVERLAP_MS,
} from "./plan";
import type { JobSource, PollState } from "./ports";
import { DEFAULT_SCAN, scanWindow } from "./scan-window";

/** Bounded fan-out for GetModelInvocationJob on jobs that left every open list. */
const GET_CONCURRENCY = 5;
/** Jobs submitted while the window is listed are listed by the next poll's fast path anyway; a little slack. */
const WINDOW_END_SLACK_MS = 60_000;

export interface PollDependencies extends DeliveryDependencies {
  jobs: JobSource;
  options: PollOptions;
}

/** What a caller other than the schedule may ask of a poll (the daily digest). */
export interface PollExtras {
  /** List the whole lifetime window now, whenever the deep reconciliation last ran (it then counts as run). */
  forceDeep?: boolean;
  /** Sees every page of the lifetime window's listing (a page may come twice after a restarted listing). */
  onWindowPage?: (page: readonly BatchJob[]) => void;
}

/**
 * quiet: nothing to announce; delivered: at least one event accepted by SNS; undelivered: there was something to
 * announce but nothing went out; baseline: a silent first run; lease-busy: another writer held the lease.
 */
export type PollOutcome = "quiet" | "delivered" | "undelivered" | "baseline" | "lease-busy";

export interface PollReport extends DeliveryCounts, WarningCounts {
  outcome: PollOutcome;
  firstRun: boolean;
  jobsSeen: number;
  /** Known open jobs that left every open list and were fetched one by one. */
  fetched: number;
  watermark: Date | null;
  /** Whether this poll listed the whole lifetime window (the first run, then at least once a day). */
  deepReconciled: boolean;
  /** Job summaries the lifetime window listing went through (0 when it did not run). */
  windowListed: number;
  /** Changes only the deep listing found, older than the previous poll: announced late. */
  late: LateChange[];
}

/**
 * One poll, top to bottom: sight the jobs that can have changed → plan (pure) → under the lease, confirm, publish
 * and commit → record the progress in the meta row.
 *
 * Work scales with the jobs that can still change, not with history: one listing of jobs submitted since the
 * watermark, one per open status, and a Get only for known open jobs that left every open list (they finished).
 * Once a day (and on the first run) the whole lifetime window is listed too, page by page, to find what the fast
 * path missed. Only the lease holder writes; a transition is committed only after SNS accepted it, so a failed
 * publish is retried by the next poll, and a poll that dies in between causes at most one re-send with the same
 * eventId.
 */
export async function runPoll(
  deps: PollDependencies,
  invocation: Invocation,
  extras: PollExtras = {},
): Promise<PollReport> {
  const startedAt = deps.clock();
  const { sighting, fetched, windowListed } = await sightJobs(deps, startedAt, extras);
  const plan = planPoll(sighting, deps.options, startedAt);
  for (const skip of plan.skipped)
    deps.diagnostics.warn("sighting-skipped", { jobArn: skip.jobArn, reason: skip.reason });

  // Early warnings, from what this poll already has (the open jobs' summaries and their rows): no extra call. The
  // first run (a silent baseline) warns nothing; what holds then is warned by the next poll.
  const warnings = plan.firstRun || !deps.options.warnings ? [] : dueWarnings(deps, sighting, startedAt);

  const report: PollReport = {
    outcome: "quiet",
    firstRun: plan.firstRun,
    jobsSeen: sighting.current.size,
    fetched,
    ...NO_DELIVERY,
    watermark: sighting.watermark,
    deepReconciled: false,
    windowListed,
    late: [],
    ...NO_WARNINGS,
  };

  if (plan.announce.length === 0 && !plan.mustRecordProgress && warnings.length === 0) {
    // Nothing to announce: move the watermark only when it lags behind what this poll surely saw (one write,
    // skipped when another poll holds the lease). A quiet poll in a quiet account writes nothing.
    if (plan.watermark && plan.watermark !== sighting.watermark) {
      if (await deps.snapshot.advanceWatermark(plan.watermark, deps.clock())) report.watermark = plan.watermark;
    }
    return report;
  }

  const result = await announceUnderLease(deps, invocation, {
    jobs: plan.announce,
    ...(plan.baseline ? { baseline: plan.baseline } : {}),
    progressAfter: plan.progressAfter,
    warnings,
  });
  if (result.outcome === "lease-busy") return { ...report, outcome: "lease-busy" };
  const progress = plan.progressAfter(result.undelivered);
  const quiet = plan.firstRun ? "baseline" : "quiet";
  return {
    ...report,
    ...result.counts,
    ...result.warnings,
    outcome: result.outcome === "unchanged" ? quiet : result.outcome,
    watermark: plan.firstRun
      ? plan.watermarkAfter(result.undelivered)
      : laterOf(sighting.watermark, progress.watermark ?? null),
    deepReconciled: progress.deepReconciledAt !== undefined,
    late: plan.late.filter((change) => !result.undelivered.some(({ job }) => job.jobArn === change.jobArn)),
  };
}

/**
 * Reads the snapshot and lists what can have changed: jobs submitted since the watermark, jobs in each open status,
 * and, one by one, known open jobs that appear in no list (they have moved on, usually to a terminal status). When
 * due, lists the whole lifetime window as well, keeping only what differs from the snapshot.
 */
async function sightJobs(
  deps: PollDependencies,
  startedAt: Date,
  extras: PollExtras,
): Promise<{ sighting: Sighting; fetched: number; windowListed: number }> {
  const { jobs, snapshot, options } = deps;
  // The open-status listings need nothing from the snapshot: start them while it is read.
  const openListing = Promise.all(OPEN_STATUSES.map((status) => jobs.listByStatus(status)));
  openListing.catch(() => undefined); // observed here so an early failure elsewhere leaves no unhandled rejection
  const state = await snapshot.readState();
  const firstRun = state.watermark === null;
  const deep = extras.forceDeep === true || deepReconciliationDue(state, options, startedAt);
  // A retried first run starts from the first attempt's instant, so it decides exactly as that attempt meant to.
  const firstRunStartedAt = firstRun ? await snapshot.beginFirstRun(startedAt) : null;
  // An upgraded table has no historyBefore: what it has no row for, and that changed before now, is history.
  const historyBefore = state.historyBefore ?? firstRunStartedAt ?? startedAt;

  let listedFrom: Date;
  let recent: BatchJob[] = [];
  if (state.watermark !== null) {
    listedFrom = state.watermark;
    recent = await jobs.listSubmittedAfter(listedFrom);
  } else {
    listedFrom = firstRunWindow(options, firstRunStartedAt ?? startedAt).listFrom;
  }
  const current = mergeSightings([...recent, ...(await openListing).flat()]);

  const vanished = [...state.open.keys()].filter((jobArn) => !current.has(jobArn));
  const found = await mapWithConcurrency(vanished, GET_CONCURRENCY, (jobArn) => jobs.getJob(jobArn));
  vanished.forEach((jobArn, index) => {
    const job = found[index];
    if (job) current.set(jobArn, job);
    else deps.diagnostics.warn("job-vanished", { jobArn });
  });
  const fast = new Set(current.keys());

  // Records for every sighted job: open ones came with the state; the rest (recent, possibly announced) are read.
  // The first run reads them under the lease instead, where it decides.
  const records = new Map<string, StoredRecord>(state.open);
  if (!firstRun) {
    const unknown = [...current.keys()].filter((jobArn) => !records.has(jobArn));
    if (unknown.length > 0) for (const [arn, record] of await snapshot.getRecords(unknown)) records.set(arn, record);
    reportMalformed(deps.diagnostics, records);
  }

  let latestSubmit = latestSubmitOf(recent);
  let windowListed = 0;
  if (deep) {
    const window = {
      from: firstRun ? listedFrom : new Date(startedAt.getTime() - MAX_JOB_LIFETIME_MS),
      to: new Date(startedAt.getTime() + WINDOW_END_SLACK_MS),
    };
    const decide = firstRun
      ? firstRunKeeps(firstRunWindow(options, firstRunStartedAt ?? startedAt).lookBackStart, startedAt)
      : deepKeeps(deps, state, current, records, historyBefore);
    const keep = extras.onWindowPage
      ? (page: BatchJob[]) => {
          extras.onWindowPage?.(page);
          return decide(page);
        }
      : decide;
    const scan = await scanWindow(jobs, window, keep, options.scan ?? DEFAULT_SCAN);
    windowListed = scan.listed;
    if (firstRun) latestSubmit = laterOf(latestSubmit, scan.latestSubmit);
    for (const [jobArn, job] of scan.kept) if (!current.has(jobArn)) current.set(jobArn, job);
  }

  const sighting: Sighting = {
    watermark: state.watermark,
    listedFrom,
    latestSubmit,
    current,
    fast,
    records,
    open: new Set(state.open.keys()),
    firstRunStartedAt,
    deep,
    historyBefore,
    historyBeforeIsNew: state.historyBefore === null,
  };
  return { sighting, fetched: vanished.length, windowListed };
}

/**
 * The first run keeps every job that can still change and every job that changed inside the look-back window;
 * what ended before it is history, never announced and never recorded. Jobs submitted within the watermark's
 * overlap are kept too: the next poll lists them again, and must find them recorded.
 */
function firstRunKeeps(lookBackStart: Date, startedAt: Date) {
  const relisted = startedAt.getTime() - WATERMARK_OVERLAP_MS;
  return async (page: BatchJob[]) =>
    page.filter(
      (job) => !isTerminal(job.status) || lastChangeOf(job) >= lookBackStart || job.submitTime.getTime() >= relisted,
    );
}

/**
 * The deep reconciliation keeps, from each page, the jobs the fast path did not sight whose row says something
 * else than Bedrock, and the jobs without a row that changed since the notifier started watching. It reads the rows
 * of one page at a time (BatchGetItem, 100 keys a call) and remembers only what it keeps.
 */
function deepKeeps(
  deps: PollDependencies,
  state: PollState,
  sighted: ReadonlyMap<string, BatchJob>,
  records: Map<string, StoredRecord>,
  historyBefore: Date,
) {
  return async (page: BatchJob[]) => {
    const unseen = page.filter((job) => !sighted.has(job.jobArn));
    const unread = unseen.filter((job) => !state.open.has(job.jobArn)).map((job) => job.jobArn);
    const rows = unread.length > 0 ? await deps.snapshot.getRecords(unread) : new Map<string, StoredRecord>();
    const kept: BatchJob[] = [];
    for (const job of unseen) {
      const row = rows.get(job.jobArn) ?? state.open.get(job.jobArn);
      if (!row) {
        if (lastChangeOf(job) >= historyBefore) kept.push(job);
        continue;
      }
      if (diffJobs(new Map([[job.jobArn, row]]), [job]).transitions.length === 0) continue;
      records.set(job.jobArn, row);
      kept.push(job);
    }
    return kept;
  };
}

/**
 * The warnings due now: for each open job whose row says the status it is in (a job with a transition pending warns
 * from its new status, next poll), each kind that holds and was never sent for it. Bad data is skipped and counted.
 */
function dueWarnings(deps: PollDependencies, sighting: Sighting, now: Date): PendingWarning[] {
  const thresholds = deps.options.warnings;
  if (!thresholds) return [];
  const due: PendingWarning[] = [];
  for (const job of sighting.current.values()) {
    if (isTerminal(job.status)) continue;
    const row = sighting.records.get(job.jobArn);
    if (!row || isMalformed(row) || row.status !== job.status) continue;
    const check = warningsFor(job, row.statusSince, now, thresholds);
    for (const reason of check.skipped) deps.diagnostics.warn("warning-input-skipped", { jobArn: job.jobArn, reason });
    const fresh = check.warnings.filter((warning) => !row.warned?.includes(warning.kind));
    if (fresh.length === 0) continue;
    const progress = jobProgress(
      job,
      now,
      job.status === "InProgress" ? inStatusSince(job, row.statusSince, now) : undefined,
    );
    for (const warning of fresh) due.push({ job, warning, progress });
  }
  return due;
}

function latestSubmitOf(jobs: readonly BatchJob[]): Date | null {
  let latest: Date | null = null;
  for (const job of jobs) if (!latest || job.submitTime > latest) latest = job.submitTime;
  return latest;
}
