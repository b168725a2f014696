import type { DailyDigestEvent, DigestOpenJob, DigestReason, ScopeDigest } from "../../digest";
import { accountLabel } from "../../scope";
import { KNOWN_STATUSES } from "../../status";
import { WARNING_KINDS } from "../../warnings";
import { bedrockBatchListUrl } from "../console-links";
import { formatDuration, formatTimestamp } from "../duration";
import { clip } from "../escape";
import { progressCounts, type RenderOptions, scopeLine } from "../facts";

/**
 * What every people channel says about the daily digest, worked out once (as `factsOf` does for one job's event).
 * Values are plain, unescaped text: each renderer escapes for its own channel. Lists carry how many more there were,
 * so a channel that has to cut one says "…and N more" instead of failing.
 */

/** A list as a channel shows it: the items shown, and how many more there were. */
export interface Listed<T> {
  shown: T[];
  more: number;
}

export interface DigestReasonFacts {
  count: number;
  /** The grouped reason (numbers, S3 URIs and ARNs taken out): job-provided text. */
  reason: string;
  /** One job that failed for it. */
  exampleJobName: string;
}

export interface DigestExpiredFacts {
  jobName: string;
  submitted: string;
}

export interface DigestOpenFacts {
  jobName: string;
  status: string;
  /** "1 d 6 h": since it was submitted. */
  age: string;
  /** "250 of 1,000 processed (25%) · error rate 1.2%", or "no records processed yet". */
  progress: string;
}

export interface DigestModelFacts {
  modelId: string;
  /** "Completed 1, Failed 3 · 100 records processed, 0 failed". */
  summary: string;
}

/** One scope's section. */
export interface ScopeFacts {
  /** "prod (123456789012) · us-east-1": the account with its alias, and the region. */
  heading: string;
  /** Why the scope could not be read (job-free text from the digest function); null when it was read. */
  unavailable: string | null;
  /** "Completed 2, Failed 3, Expired 1", or "none". */
  finished: string;
  /** "140 processed, 2 failed". */
  records: string;
  /** The top failure reasons; `more` counts the failed jobs whose reason is not shown. */
  reasons: Listed<DigestReasonFacts>;
  expired: Listed<DigestExpiredFacts>;
  /** "HighErrorRate 1, NoProgress 2"; null when none was sent. */
  warnings: string | null;
  /** Oldest first; `more` counts the open jobs not shown. */
  open: Listed<DigestOpenFacts>;
  models: Listed<DigestModelFacts>;
  /** The region's batch inference jobs in the Bedrock console. */
  consoleLink: string;
}

export interface DigestFacts {
  /** "Bedrock batch jobs — daily digest 2024-08-29". */
  title: string;
  symbol: string;
  severityLabel: "ERROR" | "WARNING" | "INFO";
  /** "2024-08-28 08:00:00 UTC → 2024-08-29 08:00:00 UTC". */
  period: string;
  /** "6 finished (Completed 2, Failed 3, Expired 1) · 140 records processed, 2 failed · 2 open · 1 warning sent". */
  totals: string;
  /** "4 scopes watched". */
  watched: string;
  /** "6 finished, 4 failed or expired": what a notification preview shows. */
  headline: string;
  scopes: ScopeFacts[];
  /** Scopes with activity that are not listed: the digest's own `scopesOmitted`, plus any a channel had no room for. */
  notListed: number;
  eventId: string;
  detectedAt: string;
}

const SEVERITY_LABEL = { error: "ERROR", warning: "WARNING", info: "INFO" } as const;
/** Bedrock allows 63 characters in a job name: only hostile input is ever clipped. */
const NAME_CHARS = 100;
/** Model ids may be ARNs of inference profiles or custom models. */
const MODEL_CHARS = 200;
/** A grouped reason is one sentence for people; the failure's own event has it whole. */
const REASON_CHARS = 300;

const count = (value: number): string => value.toLocaleString("en-US");
export const plural = (value: number, noun: string): string => `${count(value)} ${noun}${value === 1 ? "" : "s"}`;

/** Known statuses in their lifecycle order (Completed, PartiallyCompleted, Failed, Stopped, Expired), others after. */
function byStatus(counts: Record<string, number>): Array<[string, number]> {
  const rank = (status: string): number => {
    const index = (KNOWN_STATUSES as readonly string[]).indexOf(status);
    return index === -1 ? KNOWN_STATUSES.length : index;
  };
  return Object.entries(counts)
    .filter(([, value]) => value > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

const finishedOf = (counts: Record<string, number>): string =>
  byStatus(counts)
    .map(([status, value]) => `${status} ${count(value)}`)
    .join(", ") || "none";

const sum = (counts: Record<string, number | undefined>): number =>
  Object.values(counts).reduce<number>((total, value) => total + (value ?? 0), 0);

function reasonFacts(reason: DigestReason): DigestReasonFacts {
  return {
    count: reason.count,
    reason: clip(reason.reason, REASON_CHARS),
    exampleJobName: clip(reason.example.jobName, NAME_CHARS),
  };
}

function openFacts(job: DigestOpenJob): DigestOpenFacts {
  return {
    jobName: clip(job.jobName, NAME_CHARS),
    status: clip(job.status, NAME_CHARS),
    age: formatDuration(job.ageHours * 3_600_000),
    progress: progressCounts(job.processed, job.total, job.errorRate) ?? "no records processed yet",
  };
}

function scopeFacts(scope: ScopeDigest, aliases: ReadonlyMap<string, string>): ScopeFacts {
  const failed = scope.finished.Failed ?? 0;
  const reasons = scope.failureReasons.map(reasonFacts);
  const warnings = WARNING_KINDS.filter((kind) => (scope.warnings[kind] ?? 0) > 0)
    .map((kind) => `${kind} ${count(scope.warnings[kind] ?? 0)}`)
    .join(", ");
  return {
    heading: scopeLine(accountLabel(scope.accountId, aliases), scope.region) ?? scope.scope,
    unavailable: scope.unavailable,
    finished: finishedOf(scope.finished),
    records: `${count(scope.recordsProcessed)} processed, ${count(scope.recordsFailed)} failed`,
    reasons: { shown: reasons, more: Math.max(0, failed - reasons.reduce((total, r) => total + r.count, 0)) },
    expired: {
      shown: scope.expired.map((job) => ({
        jobName: clip(job.jobName, NAME_CHARS),
        submitted: formatTimestamp(job.submitTime),
      })),
      more: 0,
    },
    warnings: warnings || null,
    open: { shown: scope.open.map(openFacts), more: Math.max(0, scope.openCount - scope.open.length) },
    models: {
      shown: scope.models.map((model) => ({
        modelId: clip(model.modelId, MODEL_CHARS),
        summary: `${finishedOf(model.finished)} · ${count(model.recordsProcessed)} records processed, ${count(model.recordsFailed)} failed`,
      })),
      more: 0,
    },
    consoleLink: bedrockBatchListUrl(scope.region),
  };
}

export function digestFactsOf(event: DailyDigestEvent, options: RenderOptions = {}): DigestFacts {
  const aliases = options.accountAliases ?? new Map<string, string>();
  const { totals } = event;
  const finished = sum(totals.finished);
  const failedOrExpired = (totals.finished.Failed ?? 0) + (totals.finished.Expired ?? 0);
  return {
    title: `Bedrock batch jobs — daily digest ${event.period.to.slice(0, 10)}`,
    symbol: "📊",
    severityLabel: SEVERITY_LABEL[event.severity],
    period: `${formatTimestamp(event.period.from)} → ${formatTimestamp(event.period.to)}`,
    totals: [
      finished === 0 ? "nothing finished" : `${count(finished)} finished (${finishedOf(totals.finished)})`,
      `${count(totals.recordsProcessed)} records processed, ${count(totals.recordsFailed)} failed`,
      `${count(totals.open)} open`,
      `${plural(totals.warnings, "warning")} sent`,
    ].join(" · "),
    watched: `${plural(totals.scopes, "scope")} watched`,
    headline: `${count(finished)} finished, ${count(failedOrExpired)} failed or expired`,
    scopes: event.scopes.map((scope) => scopeFacts(scope, aliases)),
    notListed: event.scopesOmitted,
    eventId: event.eventId,
    detectedAt: formatTimestamp(event.detectedAt),
  };
}

/** How much a channel shows: items per list, and scopes (the busiest first). */
export interface DigestDetail {
  items: number;
  scopes: number;
}

function cut<T>(list: Listed<T>, items: number, weight: (item: T) => number = () => 1): Listed<T> {
  const dropped = list.shown.slice(items);
  return {
    shown: list.shown.slice(0, items),
    more: list.more + dropped.reduce((total, item) => total + weight(item), 0),
  };
}

/** The digest with each list cut to `items` (the rest counted) and only the first `scopes` scopes listed. */
export function limitDigest(facts: DigestFacts, detail: DigestDetail): DigestFacts {
  const scopes = facts.scopes.slice(0, detail.scopes).map((scope) => ({
    ...scope,
    // A reason left out counts its failed jobs, so "…and N more" says how many failures are not explained.
    reasons: cut(scope.reasons, detail.items, (reason) => reason.count),
    expired: cut(scope.expired, detail.items),
    open: cut(scope.open, detail.items),
    models: cut(scope.models, detail.items),
  }));
  return { ...facts, scopes, notListed: facts.notListed + (facts.scopes.length - scopes.length) };
}

/** Items per list tried, from everything the digest carries down to counts only. */
const ITEM_STEPS = [Number.POSITIVE_INFINITY, 5, 3, 1, 0];

/**
 * Renders the digest whole when it fits the channel; otherwise cuts gracefully: first as many scopes as fit with
 * counts only (every scope listed beats detail on a few), then the most detail per list those scopes allow. What is
 * left out is said ("…and N more", "N more scopes … not listed"), never dropped silently, and nothing fails.
 */
export function fitDigest<T>(facts: DigestFacts, render: (facts: DigestFacts) => T, fits: (rendered: T) => boolean): T {
  const whole = render(facts);
  if (fits(whole)) return whole;
  const attempt = (detail: DigestDetail): T | null => {
    const rendered = render(limitDigest(facts, detail));
    return fits(rendered) ? rendered : null;
  };
  // The most scopes that fit at all (more scopes only ever take more room): a binary search.
  let low = 0;
  let high = facts.scopes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (attempt({ items: 0, scopes: middle }) !== null) low = middle;
    else high = middle - 1;
  }
  for (const items of ITEM_STEPS) {
    const rendered = attempt({ items, scopes: low });
    if (rendered !== null) return rendered;
  }
  // Title and totals alone always fit every channel; render them even if a check says otherwise.
  return render(limitDigest(facts, { items: 0, scopes: 0 }));
}

/**
 * "Not listed here: 36 failures, 30 expired jobs, 15 open jobs." for the lists a channel had no room for at all (each
 * renderer shows the others, ending "…and N more" when cut); null when every non-empty list shows something.
 */
export function unlistedLine(scope: ScopeFacts): string | null {
  const unlisted = [
    [scope.reasons, "failure"],
    [scope.expired, "expired job"],
    [scope.open, "open job"],
    [scope.models, "model"],
  ] as const;
  const parts = unlisted
    .filter(([listed]) => listed.shown.length === 0 && listed.more > 0)
    .map(([listed, noun]) => plural(listed.more, noun));
  return parts.length === 0 ? null : `Not listed here: ${parts.join(", ")}.`;
}

/** Whether a list shows anything (an empty one, or one cut to nothing, is left out; `unlistedLine` counts the latter). */
export const hasShown = <T>(listed: Listed<T>): boolean => listed.shown.length > 0;

/** "…and 3 more", or "…and 2 more failures": what a cut list ends with. */
export const andMore = (more: number, noun?: string): string =>
  `…and ${count(more)} more${noun ? ` ${noun}${more === 1 ? "" : "s"}` : ""}`;

/** "2 more scopes with activity not listed": said whenever `notListed` > 0. */
export const notListedLine = (notListed: number): string =>
  `${count(notListed)} more ${notListed === 1 ? "scope" : "scopes"} with activity not listed.`;

/** Said instead of scopes when no scope had anything to report. */
export const QUIET_DAY = "No scope had activity in the last 24 hours: nothing finished, nothing open, no warnings.";
