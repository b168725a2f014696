import { isWarning, type NotifierEvent } from "../../src/domain/notifier-event";

const ICON: Record<NotifierEvent["severity"], string> = { error: "✖", warning: "▲", info: "●" };
const iconOf = (event: NotifierEvent): string => (event.job.status === "Completed" ? "✔" : ICON[event.severity]);

/**
 * One readable line per notification: time, scope, job, old → new status, and the failure reason if any; for an
 * early warning, its kind and summary.
 */
export function notificationLine(event: NotifierEvent, aliases: ReadonlyMap<string, string> = new Map()): string {
  const time = event.detectedAt.slice(11, 19);
  const reason = event.job.message ? `  ${event.job.message}` : "";
  const records =
    event.job.records.total !== null && event.job.records.error !== null && event.job.records.error > 0
      ? `  [${event.job.records.error}/${event.job.records.total} records failed]`
      : "";
  const account = event.job.accountId ? (aliases.get(event.job.accountId) ?? event.job.accountId) : "?";
  const scope = `${account}/${event.job.region ?? "?"}`;
  if (isWarning(event))
    return `${time}  ⚠ ${scope.padEnd(18)} ${event.job.jobName.padEnd(20)} ${event.warning.kind}: ${event.warning.summary}`;
  const from = event.previousStatus ?? "(new)";
  return `${time}  ${iconOf(event)} ${scope.padEnd(18)} ${event.job.jobName.padEnd(20)} ${from.padStart(12)} → ${event.job.status.padEnd(18)}${records}${reason}`;
}

/** Bursts are summarised, so a thousand first sightings do not scroll the story away. */
export function burstLine(count: number, status: string): string {
  return `          … ${count} more jobs of the burst: (new) → ${status} (paged through ListModelInvocationJobs)`;
}
