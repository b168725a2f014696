import type { MessageContext } from "./messages";
import type { JobRecord, JobView } from "./model";

/** One scope the emulator pretends to be: every ARN its jobs state issues or accepts names this region and account. */
export interface EmulatorIdentity {
  region: string;
  accountId: string;
}

export const DEFAULT_MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0";

export function jobArnOf(identity: EmulatorIdentity, jobId: string): string {
  return `arn:aws:bedrock:${identity.region}:${identity.accountId}:model-invocation-job/${jobId}`;
}

// Seeded jobs leave these undefined and get them derived here, which keeps 100,000 stored jobs light.
export function roleArnOf(job: JobRecord, identity: EmulatorIdentity): string {
  return job.roleArn ?? `arn:aws:iam::${identity.accountId}:role/BedrockBatchInferenceRole`;
}

export function inputS3UriOf(job: JobRecord, identity: EmulatorIdentity): string {
  return job.inputS3Uri ?? `s3://emulator-batch-input-${identity.accountId}/jobs/${job.jobId}/records.jsonl`;
}

export function outputS3UriOf(job: JobRecord, identity: EmulatorIdentity): string {
  return job.outputS3Uri ?? `s3://emulator-batch-output-${identity.accountId}/jobs/${job.jobId}/`;
}

/** The SDK always sends a UUID token; seeded jobs get a stable one of the same shape. */
export function clientRequestTokenOf(job: JobRecord): string {
  return job.clientRequestToken ?? `e0a1b2c3-d4e5-4f60-8a7b-${job.jobId}`;
}

export function messageContextOf(job: JobRecord, identity: EmulatorIdentity): MessageContext {
  return {
    inputS3Uri: inputS3UriOf(job, identity),
    outputS3Uri: outputS3UriOf(job, identity),
    roleArn: roleArnOf(job, identity),
    totalRecords: job.totalRecords,
    timeoutHours: job.timeoutHours,
  };
}

/**
 * Members in the order of the service model's ModelInvocationJobSummary. The same function builds the wire
 * JSON (ISO 8601 strings) and the JobView (Date objects), so the two can never disagree.
 */
function shapeJob<T>(job: JobRecord, identity: EmulatorIdentity, time: (ms: number) => T): Record<string, unknown> {
  const input: Record<string, unknown> = { s3Uri: inputS3UriOf(job, identity) };
  input.s3InputFormat = job.s3InputFormat ?? "JSONL";
  if (job.inputBucketOwner !== undefined) input.s3BucketOwner = job.inputBucketOwner;
  const output: Record<string, unknown> = { s3Uri: outputS3UriOf(job, identity) };
  if (job.outputKmsKeyId !== undefined) output.s3EncryptionKeyId = job.outputKmsKeyId;
  if (job.outputBucketOwner !== undefined) output.s3BucketOwner = job.outputBucketOwner;

  const view: Record<string, unknown> = {
    jobArn: jobArnOf(identity, job.jobId),
    jobName: job.jobName,
    modelId: job.modelId,
    clientRequestToken: clientRequestTokenOf(job),
    roleArn: roleArnOf(job, identity),
    status: job.status,
  };
  if (job.message !== undefined) view.message = job.message;
  view.submitTime = time(job.submitMs);
  view.lastModifiedTime = time(job.lastModifiedMs);
  if (job.endMs !== undefined) view.endTime = time(job.endMs);
  view.inputDataConfig = { s3InputDataConfig: input };
  view.outputDataConfig = { s3OutputDataConfig: output };
  if (job.vpcConfig)
    view.vpcConfig = { subnetIds: [...job.vpcConfig.subnetIds], securityGroupIds: [...job.vpcConfig.securityGroupIds] };
  view.timeoutDurationInHours = job.timeoutHours;
  view.jobExpirationTime = time(job.expirationMs);
  view.modelInvocationType = job.modelInvocationType ?? "InvokeModel";
  view.totalRecordCount = job.totalRecords;
  view.processedRecordCount = job.processedRecords;
  view.successRecordCount = job.successRecords;
  view.errorRecordCount = job.errorRecords;
  return view;
}

/** JSON-ready summary, as the service sends it: timestamps as ISO 8601 strings with milliseconds. */
export function toWireSummary(job: JobRecord, identity: EmulatorIdentity): Record<string, unknown> {
  return shapeJob(job, identity, (ms) => new Date(ms).toISOString());
}

/** The job as GetModelInvocationJob returns it through the SDK: timestamps as Date objects. */
export function toJobView(job: JobRecord, identity: EmulatorIdentity): JobView {
  return shapeJob(job, identity, (ms) => new Date(ms)) as unknown as JobView;
}
