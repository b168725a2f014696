import { buildEvent, type JobStatusEvent } from "../../../src/domain/event";
import type { BatchJob } from "../../../src/domain/job";
import { toOutboundMessage } from "../../../src/domain/message";
import type { JobStatus } from "../../../src/domain/status";

/**
 * Events as the poller builds them (buildEvent), one per situation a person-facing message must handle well.
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

function event(previousStatus: JobStatus | null, overrides: Partial<BatchJob>): JobStatusEvent {
  return buildEvent({ job: job(overrides), previousStatus }, DETECTED_AT);
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

export const CASES: Record<string, JobStatusEvent> = {
  // The everyday failure: one short reason, as Bedrock reports a malformed input record.
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
};
