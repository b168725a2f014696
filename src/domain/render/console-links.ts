import type { EventJob } from "../event";

/** Each partition has its own console domain. */
const CONSOLE_DOMAINS = {
  aws: "console.aws.amazon.com",
  "aws-cn": "console.amazonaws.cn",
  "aws-us-gov": "console.amazonaws-us-gov.com",
} as const;

/** The console domain of the partition a region belongs to (cn-* regions are China's, us-gov-* GovCloud's). */
export function consoleDomainOf(region: string): string {
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return CONSOLE_DOMAINS[partition];
}

/**
 * The batch inference jobs of a region in the Bedrock console, on the console domain of the job's partition. There is
 * no link to one job: AWS documents none (see docs/channels.md, "Console links"). What the documentation gives:
 * - *Monitor batch inference jobs* (https://docs.aws.amazon.com/bedrock/latest/userguide/batch-inference-monitor.html):
 *   open the console at `https://console.aws.amazon.com/bedrock`, choose **Batch inference** in the navigation
 *   pane, then the job in **Batch inference jobs**; every message names the job (and the email its ARN) for that step.
 * - *AWS Management Console endpoints* (https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html): the
 *   commercial partition's regional console hosts, `https://<region>.console.aws.amazon.com`.
 * The `home?region=<region>#/batch-inference` route inside the console is not documented; it is the route public
 * code links to for the batch inference page. The China and GovCloud hosts are not verified here (no AWS page for
 * them was found), so those links use the partition's console host without a region prefix.
 */
export function bedrockBatchListUrl(region: string): string {
  const domain = consoleDomainOf(region);
  const host = domain === CONSOLE_DOMAINS.aws ? `${region}.${domain}` : domain;
  return `https://${host}/bedrock/home?region=${region}#/batch-inference`;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * The S3 console's folder view for an `s3://bucket/prefix` URI. The region is left out on purpose: the console
 * finds the bucket's region itself, and a URL without `&` needs no escaping inside Slack's `<url|label>` syntax.
 */
export function s3FolderUrl(s3Uri: string, consoleDomain: string = CONSOLE_DOMAINS.aws): string | null {
  const match = S3_URI.exec(s3Uri);
  if (!match) return null;
  const [, bucket, key = ""] = match;
  if (!bucket) return null;
  // The commercial S3 console has its own host; the other partitions' consoles serve S3 under /s3 (not verifiable
  // here: no public sample found for China or GovCloud).
  const host = consoleDomain === CONSOLE_DOMAINS.aws ? `s3.${consoleDomain}` : consoleDomain;
  const base = `https://${host}/s3/buckets/${bucket}`;
  if (key === "") return base;
  const prefix = key.endsWith("/") ? key : `${key}/`;
  return `${base}?prefix=${encodeURIComponent(prefix)}`;
}

/**
 * An input URI names either a folder or one file (`.../records.jsonl`); for a file, link to the folder that
 * holds it, where the file is one click away.
 */
export function s3FolderOfUrl(s3Uri: string, consoleDomain: string = CONSOLE_DOMAINS.aws): string | null {
  const lastSlash = s3Uri.lastIndexOf("/");
  const lastSegment = s3Uri.slice(lastSlash + 1);
  const looksLikeFile = lastSlash > "s3://".length && lastSegment.includes(".");
  return s3FolderUrl(looksLikeFile ? s3Uri.slice(0, lastSlash + 1) : s3Uri, consoleDomain);
}

export interface JobLinks {
  /** The region's batch inference jobs in the console; null when the ARN did not say which region the job runs in. */
  batchJobs: string | null;
  output: string | null;
  input: string | null;
}

export function jobLinks(job: EventJob): JobLinks {
  const region = job.region;
  const domain: string = region ? consoleDomainOf(region) : CONSOLE_DOMAINS.aws;
  return {
    batchJobs: region ? bedrockBatchListUrl(region) : null,
    // Bedrock writes output under the configured prefix, which is always a folder.
    output: job.outputS3Uri ? s3FolderUrl(job.outputS3Uri, domain) : null,
    input: job.inputS3Uri ? s3FolderOfUrl(job.inputS3Uri, domain) : null,
  };
}
