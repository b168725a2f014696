import type { EventJob } from "../event";

/**
 * Links into the AWS console (commercial partition only: GovCloud and China use other console domains).
 *
 * Verified shape, from public code that links to it: the batch inference list,
 * `https://<region>.console.aws.amazon.com/bedrock/home?region=<region>#/batch-inference`.
 * Not verified (no public source found): the job page below it; `#/batch-inference/<jobName>` is our best guess,
 * which is why every message also carries the list link and the job ARN.
 */
export function bedrockBatchListUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/bedrock/home?region=${region}#/batch-inference`;
}

export function bedrockJobUrl(region: string, jobName: string): string {
  return `${bedrockBatchListUrl(region)}/${encodeURIComponent(jobName)}`;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * The S3 console's folder view for an `s3://bucket/prefix` URI. The region is left out on purpose: the console
 * finds the bucket's region itself, and a URL without `&` needs no escaping inside Slack's `<url|label>` syntax.
 */
export function s3FolderUrl(s3Uri: string): string | null {
  const match = S3_URI.exec(s3Uri);
  if (!match) return null;
  const [, bucket, key = ""] = match;
  if (!bucket) return null;
  const base = `https://s3.console.aws.amazon.com/s3/buckets/${bucket}`;
  if (key === "") return base;
  const prefix = key.endsWith("/") ? key : `${key}/`;
  return `${base}?prefix=${encodeURIComponent(prefix)}`;
}

/**
 * An input URI names either a folder or one file (`.../records.jsonl`); for a file, link to the folder that
 * holds it, where the file is one click away.
 */
export function s3FolderOfUrl(s3Uri: string): string | null {
  const lastSlash = s3Uri.lastIndexOf("/");
  const lastSegment = s3Uri.slice(lastSlash + 1);
  const looksLikeFile = lastSlash > "s3://".length && lastSegment.includes(".");
  return s3FolderUrl(looksLikeFile ? s3Uri.slice(0, lastSlash + 1) : s3Uri);
}

export interface JobLinks {
  /** Null when the ARN did not say which region the job runs in. */
  job: string | null;
  allJobs: string | null;
  output: string | null;
  input: string | null;
}

export function jobLinks(job: EventJob): JobLinks {
  const region = job.region;
  return {
    job: region ? bedrockJobUrl(region, job.jobName) : null,
    allJobs: region ? bedrockBatchListUrl(region) : null,
    // Bedrock writes output under the configured prefix, which is always a folder.
    output: job.outputS3Uri ? s3FolderUrl(job.outputS3Uri) : null,
    input: job.inputS3Uri ? s3FolderOfUrl(job.inputS3Uri) : null,
  };
}
