/** The statuses of a Bedrock batch inference job, as the service model lists them today. */
export const KNOWN_STATUSES = [
  "Submitted",
  "Validating",
  "Scheduled",
  "InProgress",
  "Completed",
  "PartiallyCompleted",
  "Failed",
  "Stopping",
  "Stopped",
  "Expired",
] as const;

export type KnownStatus = (typeof KNOWN_STATUSES)[number];

/**
 * A status as received. A newer API version may add values; the SDK passes them through as strings
 * and so do we, so a future status never crashes the notifier.
 */
export type JobStatus = KnownStatus | (string & {});

/** Statuses a job can still leave. Listing these (one `statusEquals` call each) finds every job that can still change. */
export const OPEN_STATUSES: readonly KnownStatus[] = ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping"];

const TERMINAL: ReadonlySet<string> = new Set<KnownStatus>([
  "Completed",
  "PartiallyCompleted",
  "Failed",
  "Stopped",
  "Expired",
]);

const KNOWN: ReadonlySet<string> = new Set<string>(KNOWN_STATUSES);

export function isKnownStatus(status: string): status is KnownStatus {
  return KNOWN.has(status);
}

/**
 * Terminal statuses never change again. An unknown status is treated as open: watching a job
 * a little longer costs one call, while wrongly retiring it could miss its real end.
 */
export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

// A job's statuses only move forward in this order; Stopping sits just before the terminal ones.
const PROGRESS: ReadonlyMap<string, number> = new Map(
  ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping"].map((status, rank) => [status, rank]),
);

/** How far along the lifecycle a status is (terminal ones last); -1 for a status this version does not know. */
export function progressOf(status: string): number {
  if (isTerminal(status)) return PROGRESS.size;
  return PROGRESS.get(status) ?? -1;
}

export type Severity = "error" | "warning" | "info";

/** How loudly a status should be announced; drives the `severity` attribute that filter policies use. */
export function severityOf(status: string): Severity {
  switch (status) {
    case "Failed":
    case "Expired":
      return "error";
    case "PartiallyCompleted":
    case "Stopped":
      return "warning";
    default:
      return "info";
  }
}
