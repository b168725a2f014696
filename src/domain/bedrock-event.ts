import { parseJobArn } from "./job";

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
