import type { BatchJob } from "../../src/domain/job";
import type { SnapshotRecord } from "../../src/domain/snapshot";
import type { PollOptions } from "../../src/poll/plan";

export {
  bedrockJobStateChange,
  lambdaContext,
  scheduledEvent,
  snsEventOf,
} from "../../tools/local-stack/lambda-events";

/** A fixed instant tests start from. */
export const T0 = new Date("2025-03-01T12:00:00.000Z");

export const minutes = (count: number): number => count * 60_000;
export const at = (offsetMs: number, from: Date = T0): Date => new Date(from.getTime() + offsetMs);

/** A well-formed job ARN; `id` (1–12 lowercase alphanumerics) is left-padded to Bedrock's 12, so ids stay distinct. */
export function jobArnOf(id: string): string {
  if (!/^[a-z0-9]{1,12}$/.test(id)) throw new Error(`test job id must be 1-12 of [a-z0-9], got "${id}"`);
  return `arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/${id.padStart(12, "0")}`;
}

/** A job with sensible defaults; `id` names it and builds its ARN. */
export function aJob(id: string, overrides: Partial<BatchJob> = {}): BatchJob {
  const submitTime = overrides.submitTime ?? at(-minutes(30));
  return {
    jobArn: jobArnOf(id),
    jobName: `job-${id}`,
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    status: "Submitted",
    submitTime,
    lastModifiedTime: submitTime,
    ...overrides,
  };
}

/** A snapshot record of job `id`, as a poll would have stored it (InProgress, submitted an hour ago). */
export function aRecord(id: string, overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    jobArn: jobArnOf(id),
    status: "InProgress",
    submitTime: at(-minutes(60)),
    lastModifiedTime: at(-minutes(5)),
    ...overrides,
  };
}

/** The poll's options as deployed by default (baseline first run, 60-minute look-back, 5-minute schedule). */
export function pollOptions(overrides: Partial<PollOptions> = {}): PollOptions {
  return { firstRun: "baseline", lookBackMinutes: 60, intervalMinutes: 5, deepReconcileHours: 24, ...overrides };
}
