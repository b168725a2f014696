import { type JobStatePatch, type JobStatus, mulberry32, type SeedJob } from "../tools/bedrock-emulator/src";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Finished jobs are spread over this much history; a poller's look-back window covers only the recent part. */
export const HISTORY_MS = 30 * DAY;
/** Open jobs were submitted within this long: a batch job lives at most 7 days plus its queue time. */
const OPEN_SPREAD_MS = 2 * DAY;

/** A realistic mix of outcomes, repeated every 20 jobs. */
const FINISHED_CYCLE: readonly JobStatus[] = [
  ...Array.from({ length: 14 }, () => "Completed" as const),
  "Failed",
  "Failed",
  "PartiallyCompleted",
  "Stopped",
  "Expired",
  "Completed",
];

/** Most open jobs wait for capacity or run; a few are still being validated. */
const OPEN_CYCLE: readonly JobStatus[] = [
  "InProgress",
  "Scheduled",
  "InProgress",
  "Scheduled",
  "InProgress",
  "Scheduled",
  "InProgress",
  "Scheduled",
  "Submitted",
  "Validating",
];

/** What each open status moves to when the job changes: running jobs finish, the others advance one step. */
const NEXT_STATUS: Partial<Record<JobStatus, JobStatus>> = {
  Submitted: "Validating",
  Validating: "Scheduled",
  Scheduled: "InProgress",
  InProgress: "Completed",
};

/** Open jobs get fixed ids so the peers can steer them without keeping ARNs around: `o` + 11 digits. */
export const openJobId = (index: number): string => `o${String(index).padStart(11, "0")}`;

export function openStatusOf(index: number): JobStatus {
  return OPEN_CYCLE[index % OPEN_CYCLE.length] as JobStatus;
}

/** `count` open jobs, newest first, with fixed ids. Seed them before the finished ones (ids are checked unique). */
export function openJobs(count: number, nowMs: number): SeedJob[] {
  return Array.from({ length: count }, (_, index) => ({
    jobId: openJobId(index),
    jobName: `open-${index}`,
    submitTime: new Date(nowMs - Math.round((OPEN_SPREAD_MS * (index + 0.5)) / count)),
    status: openStatusOf(index),
  }));
}

/** `count` finished jobs spread evenly over the last 30 days, as a generator so 100,000 never sit in an array. */
export function* finishedJobs(count: number, nowMs: number): Generator<SeedJob> {
  // The newest finished job ended an hour ago: nothing here is fresh enough to be announced.
  const span = HISTORY_MS - HOUR;
  for (let index = 0; index < count; index++) {
    yield {
      submitTime: new Date(nowMs - HOUR - Math.round((span * (index + 0.5)) / count)),
      status: FINISHED_CYCLE[index % FINISHED_CYCLE.length] as JobStatus,
    };
  }
}

/**
 * `count` finished jobs spread evenly over the lifetime window (8 days), the newest submitted two hours ago. The
 * oldest stays 4 hours inside the window, which the poller measures on its own clock (ahead of the emulator's).
 */
export function* windowJobs(count: number, nowMs: number): Generator<SeedJob> {
  const span = 8 * DAY - 6 * HOUR;
  for (let index = 0; index < count; index++) {
    yield {
      submitTime: new Date(nowMs - 2 * HOUR - Math.round((span * (index + 0.5)) / count)),
      status: FINISHED_CYCLE[index % FINISHED_CYCLE.length] as JobStatus,
    };
  }
}

/** How many open jobs change for a percentage: rounded, but at least one when the percentage is not zero. */
export function changedCount(open: number, percent: number): number {
  if (percent <= 0) return 0;
  return Math.min(open, Math.max(1, Math.round((open * percent) / 100)));
}

export interface PlannedChange {
  jobId: string;
  patch: JobStatePatch;
  finishes: boolean;
}

/**
 * The open jobs that change before the measured poll, chosen by a seeded shuffle so that every poller of a case
 * sees the same changes, and each one's new status. Running jobs finish (every fourth one fails).
 */
export function plannedChanges(open: number, percent: number, seed: number): PlannedChange[] {
  const random = mulberry32(seed);
  const indexes = Array.from({ length: open }, (_, index) => index);
  for (let index = indexes.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [indexes[index], indexes[other]] = [indexes[other] as number, indexes[index] as number];
  }
  let finishing = 0;
  return indexes.slice(0, changedCount(open, percent)).map((index) => {
    const from = openStatusOf(index);
    let status = NEXT_STATUS[from] ?? "Completed";
    const finishes = status === "Completed";
    if (finishes && finishing++ % 4 === 3) status = "Failed";
    const patch: JobStatePatch =
      status === "Completed" ? { status, total: 1_000, processed: 1_000, success: 1_000, error: 0 } : { status };
    return { jobId: openJobId(index), patch, finishes };
  });
}
