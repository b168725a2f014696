import type { JobPlan, SeedJob } from "../bedrock-emulator/src";

const MINUTE = 60_000;

/** One step of the scripted story, at an emulated minute after the demo starts. */
export type ScriptStep =
  | { at: number; kind: "submit"; jobName: string; plan: JobPlan; modelId?: string }
  | { at: number; kind: "stop"; jobName: string }
  /** The real service expires a job at jobExpirationTime, at least 24 h after submission: the script jumps there. */
  | { at: number; kind: "expire"; jobName: string }
  | { at: number; kind: "complete"; jobName: string }
  | { at: number; kind: "burst"; count: number };

const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
const TITAN = "amazon.titan-embed-text-v2:0";
const NOVA = "amazon.nova-lite-v1:0";

/** Two accounts in two regions, watched from one deployment in the first account's first region. */
export const DEMO_ACCOUNTS = { prod: "123456789012", research: "210987654321" } as const;
export const DEMO_REGIONS = ["us-east-1", "eu-west-1"] as const;
export interface DemoScope {
  accountId: string;
  region: string;
}
export const DEMO_SCOPES: readonly DemoScope[] = Object.values(DEMO_ACCOUNTS).flatMap((accountId) =>
  DEMO_REGIONS.map((region) => ({ accountId, region })),
);
/** Readable names in every line and channel (the accountAliases param). */
export const DEMO_ALIASES = new Map(Object.entries(DEMO_ACCOUNTS).map(([alias, id]) => [id, alias]));

/** Which scope each scripted job runs in (index into DEMO_SCOPES); the burst and nightly-eval run in the first. */
export const SCOPE_OF_JOB: Readonly<Record<string, number>> = {
  "summarize-tickets": 0,
  "rerank-search": 0,
  "qa-regression": 0,
  "embed-catalog": 1,
  "extract-entities": 1,
  "legal-review": 1,
  "classify-reviews": 2,
  "backfill-q3": 2,
  "caption-images": 2,
  "translate-docs": 3,
  "moderate-ugc": 3,
};

/** Jobs that already exist when the notifier starts: they form the first run's baseline. */
export function existingJobs(start: Date, withNightly = true): SeedJob[] {
  const history: SeedJob[] = Array.from({ length: 50 }, (_, index) => ({
    jobName: `archive-${String(index).padStart(3, "0")}`,
    submitTime: new Date(start.getTime() - (2 + index) * 60 * MINUTE),
    status: index % 9 === 0 ? "Failed" : "Completed",
    message: index % 9 === 0 ? "Input file s3://batch-input/archive.jsonl not found." : undefined,
  }));
  if (!withNightly) return history;
  const HOUR = 60 * MINUTE;
  const ago = (hours: number) => new Date(start.getTime() - hours * HOUR);
  return [
    ...history,
    { jobName: "nightly-eval", status: "InProgress", submitTime: ago(5) },
    // Three jobs heading for trouble, warned about before anything fails (the baseline warns nothing; the next poll
    // does): a 24-hour job still queued 20 h after submission (ExpiryApproaching: 4 h left, warned at 6 h)...
    {
      jobName: "waiting-for-capacity",
      status: "Scheduled",
      submitTime: ago(20),
      lastModifiedTime: ago(19.5),
      timeoutDurationInHours: 24,
    },
    // ...a job running for 3 h with nothing processed (NoProgress)...
    {
      jobName: "hung-transform",
      status: "InProgress",
      submitTime: ago(4),
      lastModifiedTime: ago(3),
      totalRecordCount: 2_000,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
    },
    // ...and one that, at its pace, needs days more but times out in 14 h (MayNotFinish), with 9% of its records
    // failing (HighErrorRate).
    {
      jobName: "slow-translation",
      status: "InProgress",
      submitTime: ago(154),
      lastModifiedTime: ago(150),
      timeoutDurationInHours: 168,
      totalRecordCount: 100_000,
      processedRecordCount: 7_500,
      successRecordCount: 6_825,
      errorRecordCount: 675,
    },
  ];
}

/** A dozen jobs through their lives, each ending differently, plus a burst that needs more than one list page. */
export const SCRIPT: readonly ScriptStep[] = [
  {
    at: 1,
    kind: "submit",
    jobName: "summarize-tickets",
    plan: {
      validateMs: 3 * MINUTE,
      scheduleMs: 3 * MINUTE,
      runMs: 8 * MINUTE,
      outcome: "Completed",
      totalRecords: 1_000,
    },
  },
  {
    at: 1,
    kind: "submit",
    jobName: "classify-reviews",
    plan: {
      validateMs: 3 * MINUTE,
      outcome: "Failed",
      failDuring: "Validating",
      failureMessage:
        'Validation failed for s3://batch-input/reviews-2026-11.jsonl: record 1,042 is missing the required field "modelInput".',
    },
  },
  {
    at: 2,
    kind: "submit",
    jobName: "embed-catalog",
    modelId: TITAN,
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 2 * MINUTE,
      runMs: 9 * MINUTE,
      outcome: "PartiallyCompleted",
      totalRecords: 5_000,
      failedRecords: 120,
    },
  },
  {
    at: 2,
    kind: "submit",
    jobName: "translate-docs",
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 2 * MINUTE,
      runMs: 60 * MINUTE,
      outcome: "Completed",
      totalRecords: 20_000,
    },
  },
  { at: 3, kind: "submit", jobName: "backfill-q3", plan: { validateMs: 2 * MINUTE, outcome: "Expired" } },
  {
    at: 4,
    kind: "submit",
    jobName: "extract-entities",
    modelId: NOVA,
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 2 * MINUTE,
      runMs: 6 * MINUTE,
      outcome: "Failed",
      failDuring: "InProgress",
      failureMessage:
        "Job failed: the model returned ThrottlingException for 37% of records; retry with a lower concurrency.",
    },
  },
  {
    at: 5,
    kind: "submit",
    jobName: "rerank-search",
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 1 * MINUTE,
      runMs: 5 * MINUTE,
      outcome: "Completed",
      totalRecords: 300,
    },
  },
  {
    at: 6,
    kind: "submit",
    jobName: "moderate-ugc",
    modelId: NOVA,
    plan: {
      validateMs: 1 * MINUTE,
      scheduleMs: 1 * MINUTE,
      runMs: 4 * MINUTE,
      outcome: "Completed",
      totalRecords: 2_500,
    },
  },
  {
    at: 6,
    kind: "submit",
    jobName: "caption-images",
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 2 * MINUTE,
      runMs: 7 * MINUTE,
      outcome: "Completed",
      totalRecords: 800,
    },
  },
  {
    at: 7,
    kind: "submit",
    jobName: "qa-regression",
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 1 * MINUTE,
      runMs: 5 * MINUTE,
      outcome: "Failed",
      failDuring: "InProgress",
      failureMessage: "Job failed: output bucket s3://batch-output/qa denied s3:PutObject to the service role.",
    },
  },
  {
    at: 8,
    kind: "submit",
    jobName: "legal-review",
    plan: {
      validateMs: 2 * MINUTE,
      scheduleMs: 2 * MINUTE,
      runMs: 6 * MINUTE,
      outcome: "Completed",
      totalRecords: 120,
    },
  },
  { at: 9, kind: "burst", count: 1_050 },
  { at: 10, kind: "complete", jobName: "nightly-eval" },
  { at: 12, kind: "stop", jobName: "translate-docs" },
  { at: 14, kind: "expire", jobName: "backfill-q3" },
];

/** Emulated minutes the scripted story needs before every job has ended. */
export const SCRIPT_MINUTES = 26;
export { CLAUDE as DEFAULT_MODEL };
