import { createHash } from "node:crypto";
import { type BatchJob, parseJobArn } from "./job";
import { type JobStatus, type Severity, severityOf } from "./status";
import type { Transition } from "./transition";

/**
 * Bumped only for additive changes (minor) or, never without a new topic, breaking ones (major).
 * 1.1 added the JobWarning event (`src/domain/warning-event.ts`) and `job.progress` on every event.
 */
export const SCHEMA_VERSION = "1.1";

export type EventType = "JobStatusChanged" | "JobDiscovered";

/** The public contract every machine consumer receives; `schema/job-status-event.v1.json` describes it. */
export interface JobStatusEvent {
  schemaVersion: typeof SCHEMA_VERSION;
  /** Same transition ⇒ same id, so a consumer can drop the rare re-send after a crash. */
  eventId: string;
  type: EventType;
  source: "bedrock-job-notifier";
  detectedAt: string;
  previousStatus: JobStatus | null;
  severity: Severity;
  job: EventJob;
}

export interface EventJob {
  jobArn: string;
  jobId: string | null;
  jobName: string;
  modelId: string;
  status: JobStatus;
  message: string | null;
  /** True when `message` was shortened to keep the event within the SNS size limit. */
  messageTruncated?: boolean;
  submitTime: string;
  lastModifiedTime: string | null;
  endTime: string | null;
  jobExpirationTime: string | null;
  timeoutDurationInHours: number | null;
  modelInvocationType: string | null;
  records: { total: number | null; processed: number | null; success: number | null; error: number | null };
  inputS3Uri: string | null;
  outputS3Uri: string | null;
  region: string | null;
  accountId: string | null;
  /** Since 1.1: how far the job has got (warnings, and transitions when known). */
  progress?: EventProgress;
}

/** Since 1.1. Every member is null when unknown (Bedrock reports a total of 0 while a job validates). */
export interface EventProgress {
  processed: number | null;
  total: number | null;
  /** Failed over processed records, 0–1. */
  errorRate: number | null;
  recordsPerHour: number | null;
  /** When the remaining records would be done at the rate seen since the job started running. */
  eta: string | null;
}

/**
 * Identity of a transition: a job's statuses only move forward, so (job, from, to) happens at most once.
 * lastModifiedTime is deliberately left out: record counts move it while the status stays, and a re-send
 * after a crash must carry the same id as the first send.
 */
export function eventIdOf(jobArn: string, previousStatus: JobStatus | null, status: JobStatus): string {
  return stableEventId(`${jobArn}\n${previousStatus ?? ""}\n${status}`);
}

/**
 * Every event's id: a hash of what identifies it (so a re-send carries the same id), shaped as a UUID (version
 * nibble 5-like) because many consumers store ids in UUID columns.
 */
export function stableEventId(identity: string): string {
  const hex = createHash("sha256").update(identity).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const iso = (date: Date | undefined): string | null => (date ? date.toISOString() : null);

export function toEventJob(job: BatchJob): EventJob {
  const arn = parseJobArn(job.jobArn);
  return {
    jobArn: job.jobArn,
    jobId: arn?.jobId ?? null,
    jobName: job.jobName,
    modelId: job.modelId,
    status: job.status,
    message: job.message ?? null,
    submitTime: job.submitTime.toISOString(),
    lastModifiedTime: iso(job.lastModifiedTime),
    endTime: iso(job.endTime),
    jobExpirationTime: iso(job.jobExpirationTime),
    timeoutDurationInHours: job.timeoutDurationInHours ?? null,
    modelInvocationType: job.modelInvocationType ?? null,
    records: {
      total: job.records?.total ?? null,
      processed: job.records?.processed ?? null,
      success: job.records?.success ?? null,
      error: job.records?.error ?? null,
    },
    inputS3Uri: job.inputS3Uri ?? null,
    outputS3Uri: job.outputS3Uri ?? null,
    region: arn?.region ?? null,
    accountId: arn?.accountId ?? null,
  };
}

export function buildEvent(transition: Transition, detectedAt: Date): JobStatusEvent {
  const { job, previousStatus } = transition;
  return {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdOf(job.jobArn, previousStatus, job.status),
    type: previousStatus === null ? "JobDiscovered" : "JobStatusChanged",
    source: "bedrock-job-notifier",
    detectedAt: detectedAt.toISOString(),
    previousStatus,
    severity: severityOf(job.status),
    job: toEventJob(job),
  };
}
