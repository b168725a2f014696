import { type EventJob, SCHEMA_VERSION, stableEventId, toEventJob } from "./event";
import type { BatchJob } from "./job";
import type { Progress } from "./progress";
import type { JobWarning, WarningKind } from "./warnings";

/**
 * An early warning (schema 1.1): a job that has not failed yet but is about to, or may. Published to the events
 * topic with `eventType=JobWarning` and `warningKind`, and without a `status` attribute, so a subscription that
 * filters on `status` never receives one by surprise.
 */
/**
 * Warnings arrived with schema 1.1 (an additive change: a new event type, and `job.progress`); they carry the same
 * version as every other event.
 */
export const WARNING_SCHEMA_VERSION = SCHEMA_VERSION;

export interface JobWarningEvent {
  schemaVersion: typeof WARNING_SCHEMA_VERSION;
  /** Same (job, kind) ⇒ same id: each kind is warned at most once per job, and a re-send carries the same id. */
  eventId: string;
  type: "JobWarning";
  source: "bedrock-job-notifier";
  detectedAt: string;
  severity: "warning";
  warning: JobWarning;
  job: EventJob;
}

export function warningEventIdOf(jobArn: string, kind: WarningKind): string {
  return stableEventId(`${jobArn}\nwarning\n${kind}`);
}

/** The job block of an event, with its progress (processed/total, error rate, throughput, ETA) when known. */
export function eventJobWithProgress(job: BatchJob, progress: Progress): EventJob {
  return {
    ...toEventJob(job),
    progress: {
      processed: progress.processed,
      total: progress.total,
      errorRate: progress.errorRate === null ? null : Math.round(progress.errorRate * 10_000) / 10_000,
      recordsPerHour: progress.recordsPerHour === null ? null : Math.round(progress.recordsPerHour),
      eta: progress.eta?.toISOString() ?? null,
    },
  };
}

export function buildWarningEvent(
  job: BatchJob,
  warning: JobWarning,
  progress: Progress,
  detectedAt: Date,
): JobWarningEvent {
  return {
    schemaVersion: WARNING_SCHEMA_VERSION,
    eventId: warningEventIdOf(job.jobArn, warning.kind),
    type: "JobWarning",
    source: "bedrock-job-notifier",
    detectedAt: detectedAt.toISOString(),
    severity: "warning",
    warning,
    job: eventJobWithProgress(job, progress),
  };
}
