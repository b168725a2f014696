import type { DailyDigestEvent } from "../../src/domain/digest";
import { isWarning, type JobEvent } from "../../src/domain/notifier-event";
import { type RenderFormat, renderFor } from "../../src/domain/render";
import type { JobWarningEvent } from "../../src/domain/warning-event";

const ICON: Record<JobEvent["severity"], string> = { error: "✖", warning: "▲", info: "●" };
const iconOf = (event: JobEvent): string => (event.job.status === "Completed" ? "✔" : ICON[event.severity]);

/**
 * One readable line per notification: time, scope, job, old → new status, and the failure reason if any; for an
 * early warning, its kind and summary.
 */
export function notificationLine(event: JobEvent, aliases: ReadonlyMap<string, string> = new Map()): string {
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

const scopeOf = (job: { accountId: string | null; region: string | null }, aliases: ReadonlyMap<string, string>) =>
  `${job.accountId ? (aliases.get(job.accountId) ?? job.accountId) : "?"}/${job.region ?? "?"}`;

/** An early warning: the job has not failed yet. */
export function warningLine(event: JobWarningEvent, aliases: ReadonlyMap<string, string> = new Map()): string {
  const time = event.detectedAt.slice(11, 19);
  return `${time}  ⚠ ${scopeOf(event.job, aliases).padEnd(18)} ${event.job.jobName.padEnd(20)} ${event.warning.kind.padEnd(18)}   ${event.warning.summary}`;
}

/** The daily digest, in a few lines: totals, then each listed scope's failures and open jobs. */
export function digestLines(event: DailyDigestEvent, aliases: ReadonlyMap<string, string> = new Map()): string[] {
  const finished = Object.entries(event.totals.finished)
    .map(([status, count]) => `${status} ${count}`)
    .join(" · ");
  const lines = [
    `\n📊 Daily digest ${event.period.from.slice(0, 16)}Z → ${event.period.to.slice(0, 16)}Z (${event.totals.scopes} scopes): ${finished || "nothing finished"}; ${event.totals.recordsProcessed.toLocaleString("en-US")} records processed, ${event.totals.recordsFailed.toLocaleString("en-US")} failed; ${event.totals.open} open; ${event.totals.warnings} warnings`,
  ];
  for (const scope of event.scopes) {
    const label = scopeOf(scope, aliases);
    for (const reason of scope.failureReasons) lines.push(`   ${label.padEnd(18)} ${reason.count}× ${reason.reason}`);
    const oldest = scope.open[0];
    if (oldest)
      lines.push(
        `   ${label.padEnd(18)} ${scope.openCount} open, oldest ${oldest.jobName} (${oldest.status}, ${oldest.ageHours} h)`,
      );
  }
  return lines;
}

/**
 * The digest as the demo prints it: a few lines in the line format, or exactly what that channel receives (cut to the
 * channel's limits, as deployed) in a channel's format.
 */
export function digestOutput(
  event: DailyDigestEvent,
  format: "line" | RenderFormat,
  aliases: ReadonlyMap<string, string> = new Map(),
): string[] {
  if (format === "line") return digestLines(event, aliases);
  return [`\n${renderFor(format, event, { accountAliases: aliases })}`];
}
