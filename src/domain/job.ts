import type { JobStatus } from "./status";

export interface RecordCounts {
  total?: number;
  processed?: number;
  success?: number;
  error?: number;
}

/**
 * A batch job as the notifier sees it: the members of a Bedrock job summary that matter to people and
 * pipelines, in domain terms. Only `jobArn`, `jobName`, `modelId`, `status` and `submitTime` are always present.
 */
export interface BatchJob {
  jobArn: string;
  jobName: string;
  modelId: string;
  status: JobStatus;
  /** Failure reason (0–2048 chars). Sensitive: published to the topic, never logged. */
  message?: string;
  submitTime: Date;
  lastModifiedTime?: Date;
  endTime?: Date;
  jobExpirationTime?: Date;
  timeoutDurationInHours?: number;
  modelInvocationType?: string;
  records?: RecordCounts;
  inputS3Uri?: string;
  outputS3Uri?: string;
}

const JOB_ARN = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]+):(\d{12}):model-invocation-job\/([a-z0-9]{12})$/;

export interface JobArnParts {
  partition: string;
  region: string;
  accountId: string;
  jobId: string;
}

/** Region and account come from the ARN, so an event is self-describing wherever it is delivered. */
export function parseJobArn(jobArn: string): JobArnParts | undefined {
  const match = JOB_ARN.exec(jobArn);
  if (!match) return undefined;
  const [, partition, region, accountId, jobId] = match;
  if (!partition || !region || !accountId || !jobId) return undefined;
  return { partition, region, accountId, jobId };
}

/** When a job last changed, as far as Bedrock says: lastModifiedTime is optional, so the end or submit time stands in. */
export function lastChangeOf(job: BatchJob): Date {
  return job.lastModifiedTime ?? job.endTime ?? job.submitTime;
}
