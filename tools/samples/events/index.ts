import {
  buildDigestEvent,
  buildScopeDigest,
  type DailyDigestEvent,
  emptyScopeDigest,
} from "../../../src/domain/digest";
import { buildEvent, type JobStatusEvent } from "../../../src/domain/event";
import type { BatchJob } from "../../../src/domain/job";
import { toDigestMessage, toOutboundMessage } from "../../../src/domain/message";
import type { JobEvent } from "../../../src/domain/notifier-event";
import { jobProgress } from "../../../src/domain/progress";
import type { Scope } from "../../../src/domain/scope";
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

export const CASES: Record<string, JobEvent> = {
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

/** When the fixtures' digests are sent: the schedule's default, 08:00 UTC. */
export const DIGEST_AT = new Date("2024-08-29T08:00:00.000Z");
const hoursAgo = (hours: number): Date => new Date(DIGEST_AT.getTime() - hours * 3_600_000);
const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const TITAN = "amazon.titan-embed-text-v2:0";
const PROD_US: Scope = { accountId: "123456789012", region: "us-east-1" };
const PROD_EU: Scope = { accountId: "123456789012", region: "eu-west-1" };
const RESEARCH_US: Scope = { accountId: "210987654321", region: "us-east-1" };
const RESEARCH_EU: Scope = { accountId: "210987654321", region: "eu-west-1" };

let digestJobs = 0;
/** A job of one scope as its lifetime-window listing shows it; `endedHoursAgo` makes it terminal. */
function scopeJob(scope: Scope, jobName: string, overrides: Partial<BatchJob> & { endedHoursAgo?: number }): BatchJob {
  const { endedHoursAgo, ...rest } = overrides;
  const end = endedHoursAgo === undefined ? undefined : hoursAgo(endedHoursAgo);
  const id = `digest${String(++digestJobs).padStart(6, "0")}`;
  return job({
    jobArn: `arn:aws:bedrock:${scope.region}:${scope.accountId}:model-invocation-job/${id}`,
    jobName,
    modelId: HAIKU,
    submitTime: end ? new Date(end.getTime() - 5 * 3_600_000) : hoursAgo(1),
    lastModifiedTime: end ?? hoursAgo(1),
    endTime: end,
    jobExpirationTime: undefined,
    ...rest,
  });
}

/**
 * A seeded 24 hours over four scopes, built by the digest's own rules (buildScopeDigest, buildDigestEvent) and
 * delivered as the events topic carries it (toDigestMessage): prod/us-east-1 with two failures of one cause and one
 * of another, a partial completion, an expiry, two models, open jobs and warnings; prod/eu-west-1 with a completion,
 * a job making no progress and its warning; the other account (no alias) unreadable in us-east-1, quiet in eu-west-1.
 */
function seededDigest(): DailyDigestEvent {
  const prodUs = buildScopeDigest(
    PROD_US,
    [
      scopeJob(PROD_US, "summaries-0828", {
        status: "Completed",
        endedHoursAgo: 3,
        records: { total: 1_000, processed: 1_000, success: 990, error: 10 },
      }),
      scopeJob(PROD_US, "embeddings-0828", {
        status: "Completed",
        modelId: TITAN,
        endedHoursAgo: 20,
        records: { total: 400, processed: 400, success: 400, error: 0 },
      }),
      scopeJob(PROD_US, "reviews-a", {
        status: "Failed",
        endedHoursAgo: 5,
        message:
          'Validation failed for s3://batch-input/reviews/a.jsonl: record 12 is missing the required field "modelInput".',
        records: { total: 500, processed: 0, success: 0, error: 0 },
      }),
      scopeJob(PROD_US, "reviews-b", {
        status: "Failed",
        endedHoursAgo: 7,
        message:
          'Validation failed for s3://batch-input/reviews/b.jsonl: record 3,004 is missing the required field "prompt".',
        records: { total: 4_000, processed: 0, success: 0, error: 0 },
      }),
      scopeJob(PROD_US, "access-check", {
        status: "Failed",
        endedHoursAgo: 9,
        message: "Amazon Bedrock could not assume arn:aws:iam::123456789012:role/batch-inference.",
      }),
      scopeJob(PROD_US, "ranking-0828", {
        status: "PartiallyCompleted",
        endedHoursAgo: 6,
        records: { total: 2_000, processed: 2_000, success: 1_880, error: 120 },
      }),
      scopeJob(PROD_US, "backfill-q3", {
        status: "Expired",
        endedHoursAgo: 2,
        submitTime: hoursAgo(26),
        records: { total: 5_000 },
      }),
      scopeJob(PROD_US, "old-news", { status: "Completed", endedHoursAgo: 48 }),
      scopeJob(PROD_US, "long-run", {
        status: "InProgress",
        submitTime: hoursAgo(30),
        records: { total: 25_000, processed: 10_000, success: 9_800, error: 200 },
      }),
      scopeJob(PROD_US, "queued-eval", { status: "Scheduled", submitTime: hoursAgo(4) }),
    ],
    // The rows' warnedAt: one sent outside the period is not counted.
    [{ MayNotFinish: hoursAgo(3) }, { StuckInStatus: hoursAgo(1), NoProgress: hoursAgo(30) }],
    DIGEST_AT,
  );
  const prodEu = buildScopeDigest(
    PROD_EU,
    [
      scopeJob(PROD_EU, "translate-docs", {
        status: "Completed",
        endedHoursAgo: 10,
        records: { total: 800, processed: 800, success: 800, error: 0 },
      }),
      scopeJob(PROD_EU, "hung-transform", {
        status: "InProgress",
        submitTime: hoursAgo(5),
        records: { total: 3_000, processed: 0, success: 0, error: 0 },
      }),
    ],
    [{ NoProgress: hoursAgo(2) }],
    DIGEST_AT,
  );
  const unreadable = emptyScopeDigest(RESEARCH_US, "AccessDeniedException: the scope could not be read");
  const quiet = buildScopeDigest(RESEARCH_EU, [], [], DIGEST_AT);
  const event = buildDigestEvent("bedrock-job-notifier-dev", [prodUs, prodEu, unreadable, quiet], DIGEST_AT);
  return JSON.parse(toDigestMessage(event).body) as DailyDigestEvent;
}

/** A day on which nothing finished and nothing is open: only a completion from two days ago, outside the period. */
function emptyDayDigest(): DailyDigestEvent {
  const sections = [
    buildScopeDigest(
      PROD_US,
      [scopeJob(PROD_US, "old-news", { status: "Completed", endedHoursAgo: 48 })],
      [],
      DIGEST_AT,
    ),
    buildScopeDigest(PROD_EU, [], [], DIGEST_AT),
  ];
  return JSON.parse(toDigestMessage(buildDigestEvent("bedrock-job-notifier-dev", sections, DIGEST_AT)).body);
}

/** The daily digests every people channel renders (golden files). */
export const DIGEST_CASES: Record<string, DailyDigestEvent> = {
  digest: seededDigest(),
  "digest-empty-day": emptyDayDigest(),
};

/**
 * A busy day over twelve scopes, more than any chat channel holds: per scope eight failure reasons (the digest keeps
 * the top five), fifteen open jobs (it lists ten), thirty expiries and three models. Every channel has to cut it.
 */
export function busyDigest(scopeCount = 12): DailyDigestEvent {
  const sections = Array.from({ length: scopeCount }, (_, index) => {
    const scope: Scope = {
      accountId: String(100_000_000_000 + index),
      region: index % 2 === 0 ? "us-east-1" : "eu-west-1",
    };
    const jobs = [
      ...Array.from({ length: 8 }, (_, reason) =>
        Array.from({ length: 8 - reason }, (_, n) =>
          scopeJob(scope, `failing-${reason}-${n}`, {
            status: "Failed",
            endedHoursAgo: 1 + n,
            message: `Cause number ${"abcdefgh"[reason]} hit record ${n}: the input line is not valid JSON.`,
          }),
        ),
      ).flat(),
      ...Array.from({ length: 30 }, (_, n) =>
        scopeJob(scope, `expired-batch-${String(n).padStart(2, "0")}`, {
          status: "Expired",
          endedHoursAgo: 1 + (n % 20),
          modelId: n % 3 === 0 ? TITAN : n % 3 === 1 ? HAIKU : "meta.llama3-70b-instruct-v1:0",
        }),
      ),
      ...Array.from({ length: 15 }, (_, n) =>
        scopeJob(scope, `open-job-${String(n).padStart(2, "0")}`, {
          status: "InProgress",
          submitTime: hoursAgo(40 - n),
          records: { total: 10_000, processed: 100 * n, success: 100 * n, error: 0 },
        }),
      ),
    ];
    return buildScopeDigest(scope, jobs, [{ HighErrorRate: hoursAgo(2) }], DIGEST_AT);
  });
  return JSON.parse(toDigestMessage(buildDigestEvent("bedrock-job-notifier-dev", sections, DIGEST_AT)).body);
}

/** An estate of many scopes, each with one completion: the event lists 50 (SCOPES_LISTED) and counts the rest. */
export function wideDigest(scopeCount = 60): DailyDigestEvent {
  const sections = Array.from({ length: scopeCount }, (_, index) => {
    const scope: Scope = { accountId: String(200_000_000_000 + index), region: "us-east-1" };
    const done = scopeJob(scope, `nightly-${index}`, {
      status: "Completed",
      endedHoursAgo: 3,
      records: { total: 100, processed: 100, success: 100, error: 0 },
    });
    return buildScopeDigest(scope, [done], [], DIGEST_AT);
  });
  return JSON.parse(toDigestMessage(buildDigestEvent("bedrock-job-notifier-dev", sections, DIGEST_AT)).body);
}
