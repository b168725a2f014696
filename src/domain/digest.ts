import { stableEventId } from "./event";
import type { BatchJob } from "./job";
import { countsProblem, jobProgress } from "./progress";
import { type Scope, scopeId } from "./scope";
import { isTerminal, type JobStatus } from "./status";
import type { WarningKind } from "./warnings";

const DAY_MS = 24 * 3_600_000;
/** Failure reasons listed per scope, most frequent first. */
export const TOP_REASONS = 5;
/** Open jobs listed per scope, oldest first (the count says how many more). */
export const OPEN_LISTED = 10;
/** Scopes listed in one digest (the busiest first); the rest are counted, so the message stays within SNS's size. */
export const SCOPES_LISTED = 50;

export interface DigestReason {
  /** The failure message with numbers, S3 URIs and ARNs taken out: what groups. */
  reason: string;
  count: number;
  example: { jobName: string; jobArn: string; message: string };
}

export interface DigestOpenJob {
  jobName: string;
  jobArn: string;
  status: JobStatus;
  submitTime: string;
  ageHours: number;
  processed: number | null;
  total: number | null;
  errorRate: number | null;
}

export interface DigestModel {
  modelId: string;
  finished: Record<string, number>;
  recordsProcessed: number;
  recordsFailed: number;
}

/** One scope's last 24 hours. */
export interface ScopeDigest {
  scope: string;
  accountId: string;
  region: string;
  /** Null when the scope could be read; otherwise why not (its section is otherwise empty). */
  unavailable: string | null;
  finished: Record<string, number>;
  recordsProcessed: number;
  recordsFailed: number;
  failureReasons: DigestReason[];
  expired: Array<{ jobName: string; jobArn: string; submitTime: string }>;
  warnings: Partial<Record<WarningKind, number>>;
  openCount: number;
  open: DigestOpenJob[];
  models: DigestModel[];
}

/** The daily digest (schema 1.1): for pipelines on the events topic, and rendered for every people channel. */
export interface DailyDigestEvent {
  schemaVersion: "1.1";
  /** One digest per deployment and period: a re-send carries the same id. */
  eventId: string;
  type: "DailyDigest";
  source: "bedrock-job-notifier";
  detectedAt: string;
  /** error when a job failed, expired or a scope could not be read; warning for partial completions; else info. */
  severity: "error" | "warning" | "info";
  period: { from: string; to: string };
  totals: {
    scopes: number;
    finished: Record<string, number>;
    recordsProcessed: number;
    recordsFailed: number;
    open: number;
    warnings: number;
  };
  /** The busiest scopes first; quiet scopes (nothing finished, nothing open, no warning) are left out. */
  scopes: ScopeDigest[];
  /** Scopes with activity not listed (beyond SCOPES_LISTED). */
  scopesOmitted: number;
}

/**
 * What groups failures: the message with its variable parts taken out (ARNs, S3 URIs, numbers, quoted values), or
 * two failures of the same cause never group.
 */
export function reasonKey(message: string): string {
  // A trailing "." or ":" ends the sentence, not the URI or ARN.
  const token = (name: string) => (match: string) => `${name}${/[.:]+$/.exec(match)?.[0] ?? ""}`;
  return message
    .replace(/arn:aws[a-z-]*:[^\s"'),;]+/g, token("<arn>"))
    .replace(/s3:\/\/[^\s"'),;]+/g, token("<uri>"))
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d+([.,]\d+)*%?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim();
}

const endOf = (job: BatchJob): Date => job.endTime ?? job.lastModifiedTime ?? job.submitTime;
const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/**
 * One scope's digest from the jobs listed in the lifetime window (each once) and the warnings its rows say were sent:
 * pure. A job counts as finished in the period when it is terminal and ended inside it.
 */
export function buildScopeDigest(
  scope: Scope,
  jobs: Iterable<BatchJob>,
  warnedAt: Iterable<Partial<Record<WarningKind, Date>>>,
  now: Date,
): ScopeDigest {
  const from = now.getTime() - DAY_MS;
  const digest = emptyScopeDigest(scope, null);
  const reasons = new Map<string, DigestReason>();
  const models = new Map<string, DigestModel>();
  const open: DigestOpenJob[] = [];
  for (const job of jobs) {
    if (!isTerminal(job.status)) {
      const progress = jobProgress(job, now);
      open.push({
        jobName: job.jobName,
        jobArn: job.jobArn,
        status: job.status,
        submitTime: job.submitTime.toISOString(),
        ageHours: Math.round(((now.getTime() - job.submitTime.getTime()) / 3_600_000) * 10) / 10,
        processed: progress.processed,
        total: progress.total,
        errorRate: progress.errorRate,
      });
      continue;
    }
    const end = endOf(job).getTime();
    if (end < from || end > now.getTime()) continue;
    increment(digest.finished, job.status);
    const trusted = countsProblem(job) === null;
    const processed = trusted ? (job.records?.processed ?? 0) : 0;
    const failed = trusted ? (job.records?.error ?? 0) : 0;
    digest.recordsProcessed += processed;
    digest.recordsFailed += failed;
    const model = models.get(job.modelId) ?? {
      modelId: job.modelId,
      finished: {},
      recordsProcessed: 0,
      recordsFailed: 0,
    };
    increment(model.finished, job.status);
    model.recordsProcessed += processed;
    model.recordsFailed += failed;
    models.set(job.modelId, model);
    if (job.status === "Expired") {
      digest.expired.push({ jobName: job.jobName, jobArn: job.jobArn, submitTime: job.submitTime.toISOString() });
    }
    if (job.status === "Failed") {
      const message = job.message?.trim() || "(no reason given)";
      const key = reasonKey(message);
      const group = reasons.get(key) ?? {
        reason: key,
        count: 0,
        example: { jobName: job.jobName, jobArn: job.jobArn, message },
      };
      group.count++;
      reasons.set(key, group);
    }
  }
  for (const sent of warnedAt) {
    for (const [kind, at] of Object.entries(sent) as Array<[WarningKind, Date]>) {
      if (at.getTime() >= from && at.getTime() <= now.getTime())
        digest.warnings[kind] = (digest.warnings[kind] ?? 0) + 1;
    }
  }
  digest.failureReasons = [...reasons.values()]
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, TOP_REASONS);
  open.sort((a, b) => a.submitTime.localeCompare(b.submitTime) || a.jobName.localeCompare(b.jobName));
  digest.openCount = open.length;
  digest.open = open.slice(0, OPEN_LISTED);
  digest.models = [...models.values()].sort((a, b) => a.modelId.localeCompare(b.modelId));
  return digest;
}

export function emptyScopeDigest(scope: Scope, unavailable: string | null): ScopeDigest {
  return {
    scope: scopeId(scope),
    accountId: scope.accountId,
    region: scope.region,
    unavailable,
    finished: {},
    recordsProcessed: 0,
    recordsFailed: 0,
    failureReasons: [],
    expired: [],
    warnings: {},
    openCount: 0,
    open: [],
    models: [],
  };
}

const activity = (scope: ScopeDigest): number =>
  Object.values(scope.finished).reduce((sum, count) => sum + count, 0) +
  scope.openCount +
  Object.values(scope.warnings).reduce((sum, count) => sum + (count ?? 0), 0) +
  (scope.unavailable ? 1_000_000 : 0);

/** The deployment's digest: every scope's section summed, the busiest (and the unreadable) listed first. */
export function buildDigestEvent(deployment: string, sections: readonly ScopeDigest[], now: Date): DailyDigestEvent {
  const from = new Date(now.getTime() - DAY_MS);
  const totals = {
    scopes: sections.length,
    finished: {} as Record<string, number>,
    recordsProcessed: 0,
    recordsFailed: 0,
    open: 0,
    warnings: 0,
  };
  for (const section of sections) {
    for (const [status, count] of Object.entries(section.finished)) increment(totals.finished, status, count);
    totals.recordsProcessed += section.recordsProcessed;
    totals.recordsFailed += section.recordsFailed;
    totals.open += section.openCount;
    totals.warnings += Object.values(section.warnings).reduce((sum, count) => sum + (count ?? 0), 0);
  }
  const active = sections
    .filter((section) => activity(section) > 0)
    .sort((a, b) => activity(b) - activity(a) || a.scope.localeCompare(b.scope));
  const bad = (totals.finished.Failed ?? 0) + (totals.finished.Expired ?? 0) > 0 || sections.some((s) => s.unavailable);
  // One digest per deployment and UTC day: a retried run sends the same id.
  const eventId = stableEventId(`${deployment}\ndigest\n${now.toISOString().slice(0, 10)}`);
  return {
    schemaVersion: "1.1",
    eventId,
    type: "DailyDigest",
    source: "bedrock-job-notifier",
    detectedAt: now.toISOString(),
    severity: bad ? "error" : (totals.finished.PartiallyCompleted ?? 0) > 0 ? "warning" : "info",
    period: { from: from.toISOString(), to: now.toISOString() },
    totals,
    scopes: active.slice(0, SCOPES_LISTED),
    scopesOmitted: Math.max(0, active.length - SCOPES_LISTED),
  };
}
