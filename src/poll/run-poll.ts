import { mergeSightings } from "../domain/merge";
import type { StoredRecord } from "../domain/snapshot";
import { OPEN_STATUSES } from "../domain/status";
import { announceUnderLease, reportMalformed } from "./announce";
import { mapWithConcurrency } from "./concurrency";
import { type DeliveryCounts, type DeliveryDependencies, NO_DELIVERY } from "./deliver";
import type { Invocation } from "./invocation";
import { firstRunWindow, type PollOptions, planPoll, type Sighting } from "./plan";
import type { JobSource } from "./ports";

/** Bounded fan-out for GetModelInvocationJob on jobs that left every open list. */
const GET_CONCURRENCY = 5;

export interface PollDependencies extends DeliveryDependencies {
  jobs: JobSource;
  options: PollOptions;
}

/**
 * quiet: nothing to announce; delivered: at least one event accepted by SNS; undelivered: there was something to
 * announce but nothing went out; baseline: a silent first run; lease-busy: another writer held the lease.
 */
export type PollOutcome = "quiet" | "delivered" | "undelivered" | "baseline" | "lease-busy";

export interface PollReport extends DeliveryCounts {
  outcome: PollOutcome;
  firstRun: boolean;
  jobsSeen: number;
  /** Known open jobs that left every open list and were fetched one by one. */
  fetched: number;
  watermark: Date | null;
}

/**
 * One poll, top to bottom: sight the jobs that can have changed → plan (pure) → under the lease, confirm, publish
 * and commit → move the watermark.
 *
 * Work scales with the jobs that can still change, not with history: one listing of jobs submitted since the
 * watermark, one per open status, and a Get only for known open jobs that left every open list (they finished).
 * Only the lease holder writes; a transition is committed only after SNS accepted it, so a failed publish is
 * retried by the next poll, and a poll that dies in between causes at most one re-send with the same eventId.
 */
export async function runPoll(deps: PollDependencies, invocation: Invocation): Promise<PollReport> {
  const startedAt = deps.clock();
  const { sighting, fetched } = await sightJobs(deps, startedAt);
  const plan = planPoll(sighting, deps.options, startedAt);
  for (const skip of plan.skipped)
    deps.diagnostics.warn("sighting-skipped", { jobArn: skip.jobArn, reason: skip.reason });

  const report: PollReport = {
    outcome: "quiet",
    firstRun: plan.firstRun,
    jobsSeen: sighting.current.size,
    fetched,
    ...NO_DELIVERY,
    watermark: sighting.watermark,
  };

  if (!plan.firstRun && plan.announce.length === 0) {
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
    watermarkAfter: (undelivered) => {
      const next = plan.watermarkAfter(undelivered);
      return next && next !== sighting.watermark ? next : undefined;
    },
  });
  if (result.outcome === "lease-busy") return { ...report, outcome: "lease-busy" };
  const quiet = plan.firstRun ? "baseline" : "quiet";
  return {
    ...report,
    ...result.counts,
    outcome: result.outcome === "unchanged" ? quiet : result.outcome,
    watermark: plan.watermarkAfter(result.undelivered),
  };
}

/**
 * Reads the snapshot and lists what can have changed: jobs submitted since the watermark, jobs in each open status,
 * and, one by one, known open jobs that appear in no list (they have moved on, usually to a terminal status).
 */
async function sightJobs(deps: PollDependencies, startedAt: Date): Promise<{ sighting: Sighting; fetched: number }> {
  const { jobs, snapshot } = deps;
  // The open-status listings need nothing from the snapshot: start them while it is read.
  const openListing = Promise.all(OPEN_STATUSES.map((status) => jobs.listByStatus(status)));
  openListing.catch(() => undefined); // observed here so an early failure elsewhere leaves no unhandled rejection
  const state = await snapshot.readState();
  const listedFrom = state.watermark ?? firstRunWindow(deps.options, startedAt).listFrom;
  const recent = await jobs.listSubmittedAfter(listedFrom);
  const current = mergeSightings([...recent, ...(await openListing).flat()]);

  const vanished = [...state.open.keys()].filter((jobArn) => !current.has(jobArn));
  const found = await mapWithConcurrency(vanished, GET_CONCURRENCY, (jobArn) => jobs.getJob(jobArn));
  vanished.forEach((jobArn, index) => {
    const job = found[index];
    if (job) current.set(jobArn, job);
    else deps.diagnostics.warn("job-vanished", { jobArn });
  });

  // Records for every sighted job: open ones came with the state; the rest (recent, possibly announced) are read.
  // The first run reads them under the lease instead, where it decides.
  const records = new Map<string, StoredRecord>(state.open);
  if (state.watermark !== null) {
    const unknown = [...current.keys()].filter((jobArn) => !records.has(jobArn));
    if (unknown.length > 0) for (const [arn, record] of await snapshot.getRecords(unknown)) records.set(arn, record);
    reportMalformed(deps.diagnostics, records);
  }
  const sighting: Sighting = {
    watermark: state.watermark,
    listedFrom,
    recent,
    current,
    records,
    open: new Set(state.open.keys()),
  };
  return { sighting, fetched: vanished.length };
}
