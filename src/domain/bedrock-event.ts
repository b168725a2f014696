import { type JobArnParts, parseJobArn } from "./job";

/**
 * What the notifier takes from Bedrock's "Batch Inference Job State Change" EventBridge event: only the job ARN.
 * The event has no record counts and non-ISO times, and its delivery is best effort, so the job is then read from
 * the API and goes through the same write path as the scheduled poll.
 */
export type BedrockEventParse = { ok: true; jobArn: string } | { ok: false; reason: string };

const DETAIL_TYPE = "Batch Inference Job State Change";

export function parseBedrockJobEvent(event: unknown): BedrockEventParse {
  if (typeof event !== "object" || event === null) return { ok: false, reason: "event is not an object" };
  const { source, "detail-type": detailType, detail, resources } = event as Record<string, unknown>;
  if (source !== "aws.bedrock") return { ok: false, reason: `unexpected source ${JSON.stringify(source)}` };
  if (detailType !== DETAIL_TYPE) return { ok: false, reason: `unexpected detail-type ${JSON.stringify(detailType)}` };
  const fromDetail =
    typeof detail === "object" && detail !== null ? (detail as Record<string, unknown>).batchJobArn : undefined;
  const fromResources = Array.isArray(resources) ? resources[0] : undefined;
  const jobArn = [fromDetail, fromResources].find((value) => typeof value === "string" && parseJobArn(value));
  if (typeof jobArn !== "string") return { ok: false, reason: "no batch job ARN in detail.batchJobArn or resources" };
  return { ok: true, jobArn };
}

/** The partition, account and region a deployment watches. */
export type Scope = Pick<JobArnParts, "partition" | "accountId" | "region">;

const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:/;

/** The deployment's own scope, from the ARN Lambda invoked (the context's invokedFunctionArn). */
export function scopeOfFunction(functionArn: string): Scope | undefined {
  const match = FUNCTION_ARN.exec(functionArn);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { partition: match[1], region: match[2], accountId: match[3] };
}

/**
 * Whether a job belongs to the watched scope. An event about any other job (another account's, forwarded by a
 * misconfigured rule, or another region's) would cost a Get that Bedrock refuses, and raise the access-denied alarm.
 */
export function isInScope(jobArn: string, scope: Scope): boolean {
  const parts = parseJobArn(jobArn);
  return (
    parts !== undefined &&
    parts.partition === scope.partition &&
    parts.accountId === scope.accountId &&
    parts.region === scope.region
  );
}
