import type { JobStatusEvent } from "../event";
import { accountLabel } from "../scope";
import { isTerminal } from "../status";
import { type JobLinks, jobLinks } from "./console-links";
import { formatDuration, formatTimestamp, millisecondsBetween } from "./duration";
import { nextStepsFor } from "./next-steps";

/** What a deployment tells every people channel beyond the event itself. */
export interface RenderOptions {
  /** Readable account names (the ACCOUNT_ALIASES setting): "prod (123456789012)" instead of the id alone. */
  accountAliases?: ReadonlyMap<string, string>;
}

const NO_ALIASES: ReadonlyMap<string, string> = new Map();

/**
 * Everything a person-facing message says about one event, worked out once so that email, chat, Slack and Teams
 * tell the same story. Values are plain, unescaped text: each renderer escapes for its own channel.
 */
export interface EventFacts {
  jobName: string;
  jobArn: string;
  /** "prod (123456789012)" with an alias configured, "123456789012" without; null when the ARN named no account. */
  account: string | null;
  /** "us-east-1"; null when the ARN named no region. */
  region: string | null;
  /** Where the job runs, in one line: "prod (123456789012) · us-east-1"; null when neither is known. */
  scope: string | null;
  modelId: string;
  status: string;
  /** "none (first seen)" for a job seen for the first time. */
  previousStatus: string;
  /** "InProgress → Failed", or "first seen as Submitted". */
  transition: string;
  severityLabel: "ERROR" | "WARNING" | "INFO";
  /** A colour-coded symbol that reads the same in every chat client. */
  symbol: string;
  submitted: string;
  ended: string;
  /** Submit to end for a finished job; submit to detection, marked "so far", for one still running. */
  duration: string;
  records: string;
  /** Failed records over processed records, e.g. "1.5%"; null when Bedrock gave no counts. */
  errorRate: string | null;
  failureMessage: string | null;
  /** True when the failure message was already shortened before it reached us (see `EventJob.messageTruncated`). */
  failureMessageTruncated: boolean;
  nextSteps: string[];
  links: JobLinks;
  inputS3Uri: string | null;
  outputS3Uri: string | null;
  eventId: string;
  detectedAt: string;
}

const SEVERITY_LABEL = { error: "ERROR", warning: "WARNING", info: "INFO" } as const;

function symbolFor(event: JobStatusEvent): string {
  if (event.severity === "error") return "🔴";
  if (event.severity === "warning") return "🟠";
  return event.job.status === "Completed" ? "✅" : "🔵";
}

const count = (value: number | null): string => (value === null ? "?" : value.toLocaleString("en-US"));

function describeRecords(records: JobStatusEvent["job"]["records"]): string {
  if (records.total === null && records.processed === null && records.success === null && records.error === null) {
    return "not reported yet";
  }
  return `${count(records.total)} total, ${count(records.processed)} processed, ${count(records.success)} succeeded, ${count(records.error)} failed`;
}

function errorRateOf(records: JobStatusEvent["job"]["records"]): string | null {
  const denominator = records.processed ?? records.total;
  if (records.error === null || denominator === null || denominator === 0) return null;
  return `${((records.error / denominator) * 100).toFixed(1)}%`;
}

function durationOf(event: JobStatusEvent): string {
  const { submitTime, endTime } = event.job;
  if (endTime !== null) {
    const elapsed = millisecondsBetween(submitTime, endTime);
    return elapsed === null ? "unknown" : formatDuration(elapsed);
  }
  const soFar = millisecondsBetween(submitTime, event.detectedAt);
  if (soFar === null) return "unknown";
  return isTerminal(event.job.status) ? formatDuration(soFar) : `${formatDuration(soFar)} so far`;
}

/** Joins the known parts of where a job runs; "—" stands in for an unknown part so the line keeps its shape. */
function scopeLine(account: string | null, region: string | null): string | null {
  if (account === null && region === null) return null;
  return `${account ?? "—"} · ${region ?? "—"}`;
}

export function factsOf(event: JobStatusEvent, options: RenderOptions = {}): EventFacts {
  const { job } = event;
  const account = job.accountId ? accountLabel(job.accountId, options.accountAliases ?? NO_ALIASES) : null;
  const region = job.region ? job.region : null;
  return {
    jobName: job.jobName,
    jobArn: job.jobArn,
    account,
    region,
    scope: scopeLine(account, region),
    modelId: job.modelId,
    status: job.status,
    previousStatus: event.previousStatus ?? "none (first seen)",
    transition:
      event.previousStatus === null ? `first seen as ${job.status}` : `${event.previousStatus} → ${job.status}`,
    severityLabel: SEVERITY_LABEL[event.severity],
    symbol: symbolFor(event),
    submitted: formatTimestamp(job.submitTime),
    ended: formatTimestamp(job.endTime),
    duration: durationOf(event),
    records: describeRecords(job.records),
    errorRate: errorRateOf(job.records),
    failureMessage: job.message !== null && job.message.length > 0 ? job.message : null,
    failureMessageTruncated: job.messageTruncated === true,
    nextSteps: nextStepsFor(event),
    links: jobLinks(job),
    inputS3Uri: job.inputS3Uri,
    outputS3Uri: job.outputS3Uri,
    eventId: event.eventId,
    detectedAt: formatTimestamp(event.detectedAt),
  };
}
