import type { ModelInvocationJobSummary } from "@aws-sdk/client-bedrock";
import type { BatchJob, RecordCounts } from "../domain/job";

export type SummaryParse = { ok: true; job: BatchJob } | { ok: false; reason: string; jobArn?: string };

const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;
// Whole numbers only: the event schema declares counts and the timeout as integers.
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * A Bedrock job summary (List and Get return the same members) as a domain job. The members a transition needs
 * are checked; a summary without them is reported and skipped rather than crashing the poll. Optional members
 * of the wrong type are dropped. An unknown status string is kept as-is.
 */
export function parseJobSummary(summary: Partial<ModelInvocationJobSummary>): SummaryParse {
  const jobArn = isText(summary.jobArn) ? summary.jobArn : undefined;
  const missing = (["jobArn", "jobName", "modelId", "status"] as const).filter((key) => !isText(summary[key]));
  if (!isDate(summary.submitTime)) missing.push("submitTime" as never);
  if (missing.length > 0) {
    const reason = `missing or invalid ${missing.join(", ")}`;
    return jobArn ? { ok: false, reason, jobArn } : { ok: false, reason };
  }

  const job: BatchJob = {
    jobArn: summary.jobArn as string,
    jobName: summary.jobName as string,
    modelId: summary.modelId as string,
    status: summary.status as string,
    submitTime: summary.submitTime as Date,
  };
  if (typeof summary.message === "string" && summary.message.length > 0) job.message = summary.message;
  if (isDate(summary.lastModifiedTime)) job.lastModifiedTime = summary.lastModifiedTime;
  if (isDate(summary.endTime)) job.endTime = summary.endTime;
  if (isDate(summary.jobExpirationTime)) job.jobExpirationTime = summary.jobExpirationTime;
  if (isCount(summary.timeoutDurationInHours)) job.timeoutDurationInHours = summary.timeoutDurationInHours;
  if (isText(summary.modelInvocationType)) job.modelInvocationType = summary.modelInvocationType;
  const inputS3Uri = summary.inputDataConfig?.s3InputDataConfig?.s3Uri;
  if (isText(inputS3Uri)) job.inputS3Uri = inputS3Uri;
  const outputS3Uri = summary.outputDataConfig?.s3OutputDataConfig?.s3Uri;
  if (isText(outputS3Uri)) job.outputS3Uri = outputS3Uri;

  const records: RecordCounts = {};
  if (isCount(summary.totalRecordCount)) records.total = summary.totalRecordCount;
  if (isCount(summary.processedRecordCount)) records.processed = summary.processedRecordCount;
  if (isCount(summary.successRecordCount)) records.success = summary.successRecordCount;
  if (isCount(summary.errorRecordCount)) records.error = summary.errorRecordCount;
  if (Object.keys(records).length > 0) job.records = records;
  return { ok: true, job };
}
