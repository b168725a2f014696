import { clampMessage } from "./messages";
import { isTerminal, type JobPlan, type JobProgress, type JobRecord, type JobSchedule, type JobStatus } from "./model";

/** Durations used when a plan leaves them out. */
export interface LifecycleDefaults {
  validateMs: number;
  scheduleMs: number;
  runMs: number;
  totalRecords: number;
  progressIntervalMs: number;
  /** How long a stopped job stays in Stopping before it becomes Stopped. */
  stopDelayMs: number;
}

export const DEFAULT_LIFECYCLE: LifecycleDefaults = {
  validateMs: 60_000,
  scheduleMs: 120_000,
  runMs: 600_000,
  totalRecords: 1_000,
  progressIntervalMs: 60_000,
  stopDelayMs: 30_000,
};

/** Messages a schedule may attach to its terminal status; computed by the caller, which knows the job's URIs. */
export interface TerminalMessages {
  failure: string;
  expired: string;
}

interface Phase {
  status: JobStatus;
  durationMs: number;
}

/** The status sequence a plan walks through, each phase with its length; the last entry is terminal. */
function phasesOf(plan: JobPlan, defaults: LifecycleDefaults, failDuring: "Validating" | "InProgress"): Phase[] {
  const validateMs = Math.max(0, plan.validateMs ?? defaults.validateMs);
  const scheduleMs = Math.max(0, plan.scheduleMs ?? defaults.scheduleMs);
  const runMs = Math.max(0, plan.runMs ?? defaults.runMs);
  // Bedrock shows Submitted briefly before Validating; a third of the validation time is a plausible split.
  const submittedMs = Math.floor(validateMs / 3);
  const intake: Phase[] = [
    { status: "Submitted", durationMs: submittedMs },
    { status: "Validating", durationMs: validateMs - submittedMs },
  ];
  const outcome = plan.outcome ?? "Completed";
  if (outcome === "Failed" && failDuring === "Validating") return [...intake, { status: "Failed", durationMs: 0 }];
  if (outcome === "Expired")
    return [
      ...intake,
      { status: "Scheduled", durationMs: Number.POSITIVE_INFINITY },
      { status: "Expired", durationMs: 0 },
    ];
  return [
    ...intake,
    { status: "Scheduled", durationMs: scheduleMs },
    { status: "InProgress", durationMs: runMs },
    { status: outcome, durationMs: 0 },
  ];
}

/**
 * Lays a plan out on the clock. Without an anchor, the job starts at its submit time. With an anchor, the
 * anchored status began at anchorMs and the later phases follow; this is how a seeded "InProgress" job keeps
 * moving. The job's timeout cuts the plan short: before InProgress it expires, during InProgress it ends
 * PartiallyCompleted (not all records processed in time).
 */
export function scheduleFromPlan(
  job: JobRecord,
  plan: JobPlan,
  defaults: LifecycleDefaults,
  messages: TerminalMessages,
  anchor?: { status: JobStatus; atMs: number },
): JobSchedule | undefined {
  if (anchor && isTerminal(anchor.status)) return undefined;
  if (anchor?.status === "Stopping") return stopSchedule(anchor.atMs, defaults.stopDelayMs);

  let effectivePlan = plan;
  const failDuring = plan.failDuring ?? (anchor?.status === "InProgress" ? "InProgress" : "Validating");
  let phases = phasesOf(plan, defaults, failDuring);
  let anchorIndex = anchor ? phases.findIndex((phase) => phase.status === anchor.status) : 0;
  if (anchorIndex < 0) {
    // The anchored status is not on this plan's path (e.g. Scheduled with a validation failure, or InProgress
    // with an Expired outcome): take the path through every open status instead.
    effectivePlan = {
      ...plan,
      outcome: plan.outcome === "Expired" ? "PartiallyCompleted" : plan.outcome,
      failDuring: "InProgress",
    };
    phases = phasesOf(effectivePlan, defaults, "InProgress");
    anchorIndex = Math.max(
      0,
      phases.findIndex((phase) => phase.status === anchor?.status),
    );
  }

  const transitions: JobSchedule["transitions"] = [];
  let atMs = anchor ? anchor.atMs : job.submitMs;
  let progress: JobProgress | undefined;
  const expirationMs = job.expirationMs;
  const outcome = effectivePlan.outcome ?? "Completed";
  const total = Math.max(0, Math.floor(plan.totalRecords ?? defaults.totalRecords));
  const defaultFailed = outcome === "PartiallyCompleted" ? Math.ceil(total * 0.05) : 0;
  const failed = Math.min(total, Math.max(0, Math.floor(plan.failedRecords ?? defaultFailed)));

  for (let index = anchorIndex; index < phases.length; index++) {
    const phase = phases[index] as Phase;
    if (isTerminal(phase.status)) {
      const message =
        phase.status === "Failed"
          ? (clampMessage(plan.failureMessage) ?? messages.failure)
          : phase.status === "Expired"
            ? messages.expired
            : undefined;
      transitions.push({
        atMs: phase.status === "Expired" ? Math.max(atMs, expirationMs) : atMs,
        status: phase.status,
        message,
      });
      break;
    }
    const endsMs = atMs + phase.durationMs;
    if (phase.status === "InProgress") {
      const runMs = phase.durationMs;
      // A job that fails mid-run has processed about half its records: progress as if it needed twice as long.
      const finishMs = atMs + (outcome === "Failed" ? runMs * 2 : runMs);
      const tickMs = Math.max(1, plan.progressIntervalMs ?? defaults.progressIntervalMs);
      progress = { startMs: atMs, finishMs, total, failed, tickMs };
      transitions.push({ atMs, status: phase.status });
      if (endsMs > expirationMs && expirationMs > atMs) {
        transitions.push({ atMs: expirationMs, status: "PartiallyCompleted" });
        break;
      }
    } else {
      transitions.push({ atMs, status: phase.status });
      if (endsMs > expirationMs) {
        transitions.push({ atMs: Math.max(atMs, expirationMs), status: "Expired", message: messages.expired });
        break;
      }
    }
    atMs = endsMs;
  }
  return { transitions, progress };
}

/** Stopping now, Stopped after the stop delay; record counts stay where they were. */
export function stopSchedule(nowMs: number, stopDelayMs: number): JobSchedule {
  return {
    transitions: [
      { atMs: nowMs, status: "Stopping" },
      { atMs: nowMs + Math.max(0, stopDelayMs), status: "Stopped" },
    ],
  };
}

interface Counts {
  processed: number;
  success: number;
  error: number;
  /** When the counts last changed (the tick that produced them). */
  changedAtMs: number;
}

/**
 * Record counts at an instant. Counts move in whole ticks; changedAtMs is the first tick at which the current
 * processed count was reached, so lastModifiedTime moves only when a count really changes.
 */
export function countsAt(progress: JobProgress, atMs: number): Counts {
  const spanMs = Math.max(1, progress.finishMs - progress.startMs);
  let processed: number;
  let changedAtMs: number;
  if (progress.total === 0 || (atMs <= progress.startMs && atMs < progress.finishMs)) {
    return { processed: 0, success: 0, error: 0, changedAtMs: progress.startMs };
  }
  if (atMs >= progress.finishMs) {
    processed = progress.total;
    changedAtMs = progress.finishMs;
  } else {
    const ticks = Math.floor((atMs - progress.startMs) / progress.tickMs);
    processed = Math.min(progress.total, Math.floor((progress.total * ticks * progress.tickMs) / spanMs));
    const firstTick = Math.ceil((processed * spanMs) / (progress.total * progress.tickMs));
    changedAtMs = progress.startMs + Math.min(ticks, firstTick) * progress.tickMs;
  }
  const error = Math.floor((progress.failed * processed) / progress.total);
  return { processed, success: processed - error, error, changedAtMs };
}

/**
 * Brings one job's fields to what its schedule says at nowMs and returns the status it should have.
 * The caller owns the status (it must also move the job between status indexes).
 */
export function evaluateSchedule(job: JobRecord, nowMs: number): JobStatus {
  const schedule = job.schedule;
  if (!schedule) {
    job.nextChangeMs = Number.POSITIVE_INFINITY;
    return job.status;
  }
  const transitions = schedule.transitions;
  let currentIndex = 0;
  while (
    currentIndex + 1 < transitions.length &&
    (transitions[currentIndex + 1]?.atMs ?? Number.POSITIVE_INFINITY) <= nowMs
  )
    currentIndex++;
  const current = transitions[currentIndex];
  if (!current) return job.status;
  const next = transitions[currentIndex + 1];

  let lastModifiedMs = current.atMs;
  let nextChangeMs = next ? next.atMs : Number.POSITIVE_INFINITY;
  const progress = schedule.progress;
  if (progress) {
    // Counts run while InProgress and freeze at the instant the job leaves it.
    const leftAt = transitions.find((t) => t.atMs > progress.startMs && t.status !== "InProgress")?.atMs;
    const countAt = Math.min(nowMs, leftAt ?? Number.POSITIVE_INFINITY);
    const counts = countsAt(progress, countAt);
    job.totalRecords = progress.total;
    job.processedRecords = counts.processed;
    job.successRecords = counts.success;
    job.errorRecords = counts.error;
    if (current.status === "InProgress") {
      lastModifiedMs = Math.max(lastModifiedMs, counts.changedAtMs);
      const elapsedTicks = Math.floor((nowMs - progress.startMs) / progress.tickMs);
      const nextTickMs = progress.startMs + (elapsedTicks + 1) * progress.tickMs;
      if (nextTickMs < nextChangeMs) nextChangeMs = nextTickMs;
    }
  }

  job.lastModifiedMs = Math.max(job.lastModifiedMs, lastModifiedMs);
  job.message = current.message ?? (isTerminal(current.status) ? job.message : undefined);
  if (isTerminal(current.status)) {
    job.endMs = current.atMs;
    job.schedule = undefined;
    nextChangeMs = Number.POSITIVE_INFINITY;
  }
  job.nextChangeMs = nextChangeMs;
  return current.status;
}
