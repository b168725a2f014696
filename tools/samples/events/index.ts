import { buildEvent, type JobStatusEvent } from "../../../src/domain/event";
import type { BatchJob } from "../../../src/domain/job";
import { toOutboundMessage } from "../../../src/domain/message";
import type { NotifierEvent } from "../../../src/domain/notifier-event";
import { jobProgress } from "../../../src/domain/progress";
import type { JobStatus } from "../../../src/domain/status";
import { buildWarningEvent, eventJobWithProgress, type JobWarningEvent } from "../../../src/domain/warning-event";
import { DEFAULT_WARNING_THRESHOLDS, type WarningKind, warningsFor } from "../../../src/domain/warnings";

/**
 * Events as the poller builds them (buildEvent, with the progress deliver.ts adds when Bedrock reported counts, and
 * buildWarningEvent for early warnings), one per situation a person-facing message must handle well.
 * Shared by the golden tests (test/domain/render) and the picture gallery (tools/gallery): they live in tools/
 * because tools may not import from test/, and one set keeps the pictures showing exactly what the goldens hold.
 */

const DETECTED_AT = new Date("2024-08-29T01:15:00.000Z");
const ARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghwxyz";

/** The aliases the golden files are rendered with (ACCOUNT_ALIASES=123456789012:prod): the fixtures' account. */
export const GOLDEN_ACCOUNT_ALIASES: ReadonlyMap<string, string> = new Map([["123456789012", "prod"]]);

function job(overrides: Partial<BatchJob>): BatchJob {
  return {
    jobArn: ARN,
    jobName: "nightly-summaries-2024-08-28",
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    status: "InProgress",
    submitTime: new Date("2024-08-28T22:47:53.000Z"),
    lastModifiedTime: new Date("2024-08-29T01:10:00.000Z"),
    timeoutDurationInHours: 24,
    jobExpirationTime: new Date("2024-08-29T22:47:53.000Z"),
    modelInvocationType: "InvokeModel",
    inputS3Uri: "s3://example-batch-input/nightly/2024-08-28/records.jsonl",
    outputS3Uri: "s3://example-batch-output/nightly/",
    ...overrides,
  };
}

const ended = new Date("2024-08-29T01:10:00.000Z");

/** When the fixtures' jobs started running (their row's statusSince): the rate is measured from there. */
const RUNNING_SINCE = new Date("2024-08-28T23:10:00.000Z");

/**
 * A transition as the poll publishes it (src/poll/deliver.ts): with `job.progress` when Bedrock reported counts, the
 * rate measured from when the job was first seen running.
 */
function event(
  previousStatus: JobStatus | null,
  overrides: Partial<BatchJob>,
  runningSince: Date | undefined = previousStatus === "InProgress" ? RUNNING_SINCE : undefined,
): JobStatusEvent {
  const built = buildEvent({ job: job(overrides), previousStatus }, DETECTED_AT);
  if (!overrides.records) return built;
  const withCounts = job(overrides);
  return { ...built, job: eventJobWithProgress(withCounts, jobProgress(withCounts, DETECTED_AT, runningSince)) };
}

/** An early warning as the poll publishes it: the rules (warningsFor) decide, with the default thresholds. */
function warning(kind: WarningKind, overrides: Partial<BatchJob>, firstSeen?: Date): JobWarningEvent {
  const warned = job(overrides);
  const found = warningsFor(warned, firstSeen, DETECTED_AT, DEFAULT_WARNING_THRESHOLDS).warnings.find(
    (candidate) => candidate.kind === kind,
  );
  if (!found) throw new Error(`fixture does not raise ${kind}`);
  const since = warned.status === "InProgress" ? (warned.lastModifiedTime ?? firstSeen) : undefined;
  return buildWarningEvent(warned, found, jobProgress(warned, DETECTED_AT, since), DETECTED_AT);
}

/** 2,048 characters, Bedrock's maximum for `message`. */
const longFailure =
  `Input validation failed. ${"Line 17: the record is missing the modelInput field. ".repeat(60)}`.slice(0, 2048);

const hostile =
  "<!channel> *bold* _it_ ~strike~ <script>alert('x')</script> & `code` ```fence``` [link](http://evil) <https://evil.example|click>";

/**
 * What the events topic really delivers for a job whose failure message is near the SNS limit: the poller has
 * already shortened it to fit (messageTruncated), so every channel starts from about 256 KB of message.
 */
function nearSnsLimit(): JobStatusEvent {
  const huge = Array.from(
    { length: 6000 },
    (_, line) => `record-${line}: ModelTimeoutException after 3 attempts\n`,
  ).join("");
  const built = event("InProgress", { status: "Failed", endTime: ended, message: huge.repeat(2) });
  return JSON.parse(toOutboundMessage(built).body) as JobStatusEvent;
}

/** The early warnings, one per kind: every people channel renders each (golden files). */
export const WARNING_CASES: Record<string, JobWarningEvent> = {
  "warning-stuck-in-status": warning("StuckInStatus", {
    status: "Scheduled",
    lastModifiedTime: new Date("2024-08-27T23:00:00.000Z"),
    submitTime: new Date("2024-08-27T22:47:53.000Z"),
    jobExpirationTime: new Date("2024-09-03T22:47:53.000Z"),
    timeoutDurationInHours: 168,
  }),
  "warning-expiry-approaching": warning("ExpiryApproaching", {
    status: "Scheduled",
    lastModifiedTime: new Date("2024-08-28T23:00:00.000Z"),
    jobExpirationTime: new Date("2024-08-29T05:47:53.000Z"),
    records: { total: 500 },
  }),
  "warning-high-error-rate": warning("HighErrorRate", {
    status: "InProgress",
    lastModifiedTime: new Date("2024-08-28T23:45:00.000Z"),
    records: { total: 10_000, processed: 1_200, success: 1_110, error: 90 },
  }),
  "warning-no-progress": warning("NoProgress", {
    status: "InProgress",
    lastModifiedTime: new Date("2024-08-28T22:55:00.000Z"),
    records: { total: 2_000, processed: 0, success: 0, error: 0 },
  }),
  "warning-may-not-finish": warning("MayNotFinish", {
    status: "InProgress",
    lastModifiedTime: new Date("2024-08-28T23:15:00.000Z"),
    jobExpirationTime: new Date("2024-08-29T06:00:00.000Z"),
    records: { total: 50_000, processed: 4_000, success: 3_990, error: 10 },
  }),
};

export const CASES: Record<string, NotifierEvent> = {
  failed: event("InProgress", {
    status: "Failed",
    endTime: ended,
    message:
      'Validation failed for s3://example-batch-input/nightly/2024-08-28/records.jsonl: record 1,042 is missing the required field "modelInput".',
    records: { total: 1000, processed: 0, success: 0, error: 0 },
  }),
  "failed-long-message": event("InProgress", {
    status: "Failed",
    endTime: ended,
    message: longFailure,
    records: { total: 1000, processed: 0, success: 0, error: 0 },
  }),
  expired: event("Scheduled", { status: "Expired", endTime: ended, records: { total: 500 } }),
  "expired-at-maximum-timeout": event("Scheduled", {
    status: "Expired",
    endTime: ended,
    timeoutDurationInHours: 168,
    records: { total: 500 },
  }),
  "failed-in-china": event("InProgress", {
    jobArn: "arn:aws-cn:bedrock:cn-north-1:123456789012:model-invocation-job/abcdefghwxyz",
    status: "Failed",
    endTime: ended,
    message: "Access denied to the input bucket.",
  }),
  "partially-completed": event("InProgress", {
    status: "PartiallyCompleted",
    endTime: ended,
    message: "Some records could not be processed.",
    records: { total: 1000, processed: 1000, success: 985, error: 15 },
  }),
  stopped: event("Stopping", {
    status: "Stopped",
    endTime: ended,
    records: { total: 1000, processed: 420, success: 420, error: 0 },
  }),
  completed: event("InProgress", {
    status: "Completed",
    endTime: ended,
    records: { total: 1000, processed: 1000, success: 1000, error: 0 },
  }),
  "first-seen": event(null, { status: "Submitted", lastModifiedTime: undefined }),
  // Seen running for the first time: the rate is measured from when Bedrock says it started (lastModifiedTime).
  "in-progress": event(
    "Scheduled",
    {
      status: "InProgress",
      lastModifiedTime: new Date("2024-08-29T00:15:00.000Z"),
      records: { total: 1_000, processed: 250, success: 247, error: 3 },
    },
    new Date("2024-08-29T00:15:00.000Z"),
  ),
  "unknown-status": event("InProgress", { status: "Archived" }),
  "hostile-text": event("InProgress", {
    status: "Failed",
    endTime: ended,
    jobName: `name-${hostile}`,
    modelId: "model-`id`-*x*",
    message: `Failure ${hostile}\nsecond line & more`,
    outputS3Uri: "s3://example-batch-output/odd prefix|with>chars/",
  }),
  "near-sns-limit": nearSnsLimit(),
  ...WARNING_CASES,
};
