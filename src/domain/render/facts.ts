import type { EventJob, EventProgress } from "../event";
import { isWarning, type JobEvent } from "../notifier-event";
import { accountLabel } from "../scope";
import { isTerminal } from "../status";
import type { JobWarning, WarningKind } from "../warnings";
import { type JobLinks, jobLinks } from "./console-links";
import { formatDuration, formatMinutes, formatTimestamp, millisecondsBetween } from "./duration";
import { nextStepsFor } from "./next-steps";

/** What a deployment tells every people channel beyond the event itself. */
export interface RenderOptions {
  /** Readable account names (the ACCOUNT_ALIASES setting): "prod (123456789012)" instead of the id alone. */
  accountAliases?: ReadonlyMap<string, string>;
}

const NO_ALIASES: ReadonlyMap<string, string> = new Map();

/** What a person reads about an early warning, beyond the job. */
export interface WarningFacts {
  kind: WarningKind;
  /** "Early warning: HighErrorRate": the kind as sent in the `warningKind` attribute, so mail rules can match it. */
  title: string;
  /** The warning's own sentence ("7.5% of the 1,000 records processed so far failed (warning at 5%)."). */
  summary: string;
  /** "5%", "6 h": what the kind warns at, in its unit. */
  threshold: string;
  /** "7.5%", "3 h 20 min": what the notifier saw. */
  observed: string;
  /** "observed 7.5% of processed records failed · threshold 5%" in one line. */
  measure: string;
}

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
  /** "none (first seen)" for a job seen for the first time; "—" for a warning (the status did not change). */
  previousStatus: string;
  /** "InProgress → Failed", or "first seen as Submitted"; for a warning, "still InProgress". */
  transition: string;
  /** Set for an early warning (a JobWarning event), null for a transition. */
  warning: WarningFacts | null;
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
  /**
   * For a running job (InProgress, or any warning) with `job.progress`: "250 of 1,000 processed (25%) · error rate
   * 1.2% · ETA 2024-08-29 04:40:00 UTC (in 3 h 25 min)"; null otherwise.
   */
  progress: string | null;
  /** For a finished job whose progress gave a rate: "500 records/h"; null otherwise. */
  throughput: string | null;
  /** When Bedrock expires the job (warnings only: that is when an open job runs out of time); null otherwise. */
  expires: string | null;
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

function symbolFor(event: JobEvent): string {
  if (isWarning(event)) return "⚠️";
  if (event.severity === "error") return "🔴";
  if (event.severity === "warning") return "🟠";
  return event.job.status === "Completed" ? "✅" : "🔵";
}

const count = (value: number | null): string => (value === null ? "?" : value.toLocaleString("en-US"));

function describeRecords(records: EventJob["records"]): string {
  if (records.total === null && records.processed === null && records.success === null && records.error === null) {
    return "not reported yet";
  }
  return `${count(records.total)} total, ${count(records.processed)} processed, ${count(records.success)} succeeded, ${count(records.error)} failed`;
}

function errorRateOf(records: EventJob["records"]): string | null {
  const denominator = records.processed ?? records.total;
  if (records.error === null || denominator === null || denominator === 0) return null;
  return `${((records.error / denominator) * 100).toFixed(1)}%`;
}

function durationOf(event: JobEvent): string {
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
export function scopeLine(account: string | null, region: string | null): string | null {
  if (account === null && region === null) return null;
  return `${account ?? "—"} · ${region ?? "—"}`;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** A warning's threshold or observed value in its unit: "5%", "6 h", "0 min". */
function measureOf(value: number, unit: JobWarning["unit"]): string {
  return unit === "percent" ? `${value}%` : formatMinutes(value);
}

/** What each kind's `observed` and `threshold` measure, so "observed 23 h" says 23 h of what. */
const MEASURED: Record<WarningKind, { observed: string; threshold: string }> = {
  StuckInStatus: { observed: "in its status", threshold: "" },
  ExpiryApproaching: { observed: "left before expiry", threshold: "before expiry" },
  HighErrorRate: { observed: "of processed records failed", threshold: "" },
  NoProgress: { observed: "running with nothing processed", threshold: "" },
  MayNotFinish: { observed: "needed for the rest", threshold: "left before the timeout" },
};

function warningFactsOf(warning: JobWarning): WarningFacts {
  const threshold = measureOf(warning.threshold, warning.unit);
  const observed = measureOf(warning.observed, warning.unit);
  const { observed: what, threshold: against } = MEASURED[warning.kind];
  return {
    kind: warning.kind,
    title: `Early warning: ${warning.kind}`,
    summary: warning.summary,
    threshold,
    observed,
    measure: `observed ${observed} ${what} · threshold ${threshold}${against ? ` ${against}` : ""}`,
  };
}

/**
 * "250 of 1,000 processed (25%) · error rate 1.2%": how far a job has got, without an ETA (the daily digest's open
 * jobs show this much; transitions and warnings add the ETA). Null when nothing was processed yet.
 */
export function progressCounts(
  processed: number | null,
  total: number | null,
  errorRate: number | null,
): string | null {
  if (processed === null) return null;
  const parts: string[] = [];
  if (total === null) parts.push(`${count(processed)} processed (total not known yet)`);
  else parts.push(`${count(processed)} of ${count(total)} processed (${Math.floor((processed / total) * 100)}%)`);
  if (errorRate !== null) parts.push(`error rate ${percent(errorRate)}`);
  return parts.join(" · ");
}

/** Processed/total, error rate and ETA (relative to detection), from the event's `job.progress`. */
function progressLine(progress: EventProgress, detectedAt: string): string {
  const { processed, total, errorRate, eta } = progress;
  // Nothing processed yet, or a job that has not started: no rate, so no ETA either.
  const counts = progressCounts(processed, total, errorRate);
  if (counts === null) return "no records processed yet";
  const parts = [counts];
  const untilEta = millisecondsBetween(detectedAt, eta);
  if (eta !== null && untilEta !== null && untilEta >= 0)
    parts.push(`ETA ${formatTimestamp(eta)} (in ${formatDuration(untilEta)})`);
  else parts.push("no ETA yet");
  return parts.join(" · ");
}

function progressFacts(event: JobEvent): Pick<EventFacts, "progress" | "throughput"> {
  const progress = event.job.progress;
  if (!progress) return { progress: null, throughput: null };
  const running = isWarning(event) || event.job.status === "InProgress";
  const finished = !isWarning(event) && isTerminal(event.job.status);
  return {
    progress: running ? progressLine(progress, event.detectedAt) : null,
    throughput:
      finished && progress.recordsPerHour !== null ? `${count(Math.round(progress.recordsPerHour))} records/h` : null,
  };
}

export function factsOf(event: JobEvent, options: RenderOptions = {}): EventFacts {
  const { job } = event;
  const account = job.accountId ? accountLabel(job.accountId, options.accountAliases ?? NO_ALIASES) : null;
  const region = job.region ? job.region : null;
  const warning = isWarning(event) ? event.warning : null;
  const previousStatus = isWarning(event) ? undefined : event.previousStatus;
  return {
    jobName: job.jobName,
    jobArn: job.jobArn,
    account,
    region,
    scope: scopeLine(account, region),
    modelId: job.modelId,
    status: job.status,
    previousStatus: previousStatus === undefined ? "—" : (previousStatus ?? "none (first seen)"),
    transition:
      previousStatus === undefined
        ? `still ${job.status}`
        : previousStatus === null
          ? `first seen as ${job.status}`
          : `${previousStatus} → ${job.status}`,
    warning: warning ? warningFactsOf(warning) : null,
    severityLabel: SEVERITY_LABEL[event.severity],
    symbol: symbolFor(event),
    submitted: formatTimestamp(job.submitTime),
    ended: formatTimestamp(job.endTime),
    duration: durationOf(event),
    records: describeRecords(job.records),
    errorRate: errorRateOf(job.records),
    ...progressFacts(event),
    expires: warning ? formatTimestamp(job.jobExpirationTime) : null,
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
