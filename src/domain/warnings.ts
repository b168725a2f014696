import type { BatchJob } from "./job";
import { countsProblem, jobProgress } from "./progress";
import type { JobStatus } from "./status";

/** The early warnings: each is sent at most once per job, before the job fails, expires or stops short. */
export const WARNING_KINDS = [
  "StuckInStatus",
  "ExpiryApproaching",
  "HighErrorRate",
  "NoProgress",
  "MayNotFinish",
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** Each threshold is a deploy param; 0 turns its kind (or its status, for StuckInStatus) off. */
export interface WarningThresholds {
  stuckMinutes: { Submitted: number; Validating: number; Scheduled: number };
  /** ExpiryApproaching: at most this many hours before expiry... */
  expiryLeadHours: number;
  /** ...and at most this share of the job's timeout (a 24-hour job warns at 6 h left, not on submission). */
  expiryLeadPercent: number;
  errorRatePercent: number;
  errorRateMinRecords: number;
  noProgressMinutes: number;
  /** MayNotFinish looks at the rate only after the job has run this long. */
  mayNotFinishMinutes: number;
}

export const DEFAULT_WARNING_THRESHOLDS: WarningThresholds = Object.freeze({
  stuckMinutes: Object.freeze({ Submitted: 60, Validating: 120, Scheduled: 24 * 60 }),
  expiryLeadHours: 24,
  expiryLeadPercent: 25,
  errorRatePercent: 5,
  errorRateMinRecords: 100,
  noProgressMinutes: 120,
  mayNotFinishMinutes: 60,
});

export interface JobWarning {
  kind: WarningKind;
  /** What `threshold` and `observed` count. */
  unit: "minutes" | "percent";
  threshold: number;
  observed: number;
  /** One readable sentence, for people. */
  summary: string;
}

export interface WarningCheck {
  warnings: JobWarning[];
  /** Why some or all kinds were not evaluated for this job (bad or missing data): counted and logged, never warned. */
  skipped: string[];
}

const MINUTE_MS = 60_000;
const NOT_STARTED: readonly JobStatus[] = ["Submitted", "Validating", "Scheduled"];

/**
 * When a job has been in its status since: the earlier of Bedrock's lastModifiedTime (when present and not in the
 * future) and the time the notifier first saw it in that status (recorded with its row).
 */
export function inStatusSince(job: BatchJob, firstSeen: Date | undefined, now: Date): Date | undefined {
  const modified = job.lastModifiedTime && job.lastModifiedTime <= now ? job.lastModifiedTime : undefined;
  if (!modified) return firstSeen;
  if (!firstSeen) return modified;
  return modified < firstSeen ? modified : firstSeen;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const hours = (minutes: number) => {
  if (minutes >= 2 * 24 * 60) return `${round1(minutes / (24 * 60))} d`;
  return minutes >= 120 ? `${round1(minutes / 60)} h` : `${Math.round(minutes)} min`;
};

/**
 * Which warnings hold for an open job now, from data the poll already has (its summary and its row): pure, no I/O.
 * Bad data never warns: counts that contradict each other, a lastModifiedTime in the future (clock skew) or a missing
 * jobExpirationTime skip the kinds that need them, and say so.
 */
export function warningsFor(
  job: BatchJob,
  firstSeen: Date | undefined,
  now: Date,
  thresholds: WarningThresholds,
): WarningCheck {
  const warnings: JobWarning[] = [];
  const skipped: string[] = [];
  if (job.lastModifiedTime && job.lastModifiedTime > now) {
    return { warnings, skipped: ["lastModifiedTime is in the future"] };
  }
  const since = inStatusSince(job, firstSeen, now);
  const minutesIn = since ? (now.getTime() - since.getTime()) / MINUTE_MS : undefined;
  const counts = countsProblem(job);

  if (NOT_STARTED.includes(job.status)) {
    const limit = thresholds.stuckMinutes[job.status as keyof WarningThresholds["stuckMinutes"]];
    if (limit > 0 && minutesIn !== undefined && minutesIn >= limit) {
      warnings.push({
        kind: "StuckInStatus",
        unit: "minutes",
        threshold: limit,
        observed: Math.floor(minutesIn),
        summary: `In ${job.status} for ${hours(minutesIn)}, longer than ${hours(limit)}: it has not started yet.`,
      });
    }
    if (thresholds.expiryLeadHours > 0 && thresholds.expiryLeadPercent > 0) {
      if (!job.jobExpirationTime) skipped.push("no jobExpirationTime: cannot tell how close expiry is");
      else {
        const timeoutMinutes = (job.timeoutDurationInHours ?? thresholds.expiryLeadHours) * 60;
        const lead = Math.min(thresholds.expiryLeadHours * 60, (thresholds.expiryLeadPercent / 100) * timeoutMinutes);
        const left = (job.jobExpirationTime.getTime() - now.getTime()) / MINUTE_MS;
        if (left < lead) {
          warnings.push({
            kind: "ExpiryApproaching",
            unit: "minutes",
            threshold: Math.round(lead),
            observed: Math.max(0, Math.floor(left)),
            summary: `Not started, and it expires in ${hours(Math.max(0, left))} (warning at ${hours(lead)} before expiry): it will end Expired unless it starts.`,
          });
        }
      }
    }
  }

  if (job.status === "InProgress") {
    if (counts) return { warnings, skipped: [...skipped, counts] };
    const progress = jobProgress(job, now, since);
    const processed = progress.processed;
    const failed = job.records?.error;
    if (
      thresholds.errorRatePercent > 0 &&
      processed !== null &&
      processed >= thresholds.errorRateMinRecords &&
      failed !== undefined &&
      (failed / processed) * 100 >= thresholds.errorRatePercent
    ) {
      const percent = round1((failed / processed) * 100);
      warnings.push({
        kind: "HighErrorRate",
        unit: "percent",
        threshold: thresholds.errorRatePercent,
        observed: percent,
        summary: `${percent}% of the ${processed.toLocaleString("en-US")} records processed so far failed (warning at ${thresholds.errorRatePercent}%).`,
      });
    }
    if (
      thresholds.noProgressMinutes > 0 &&
      minutesIn !== undefined &&
      minutesIn >= thresholds.noProgressMinutes &&
      processed === 0
    ) {
      warnings.push({
        kind: "NoProgress",
        unit: "minutes",
        threshold: thresholds.noProgressMinutes,
        observed: Math.floor(minutesIn),
        summary: `Running for ${hours(minutesIn)} with no record processed yet (warning at ${hours(thresholds.noProgressMinutes)}).`,
      });
    }
    if (
      thresholds.mayNotFinishMinutes > 0 &&
      minutesIn !== undefined &&
      minutesIn >= thresholds.mayNotFinishMinutes &&
      processed !== null &&
      processed > 0 &&
      progress.eta
    ) {
      if (!job.jobExpirationTime) skipped.push("no jobExpirationTime: cannot tell whether it will finish in time");
      else if (progress.eta > job.jobExpirationTime) {
        const left = (job.jobExpirationTime.getTime() - now.getTime()) / MINUTE_MS;
        const needed = (progress.eta.getTime() - now.getTime()) / MINUTE_MS;
        warnings.push({
          kind: "MayNotFinish",
          unit: "minutes",
          threshold: Math.max(0, Math.floor(left)),
          observed: Math.ceil(needed),
          summary: `At ${Math.round(progress.recordsPerHour ?? 0).toLocaleString("en-US")} records an hour, the rest needs ${hours(needed)} but the job times out in ${hours(Math.max(0, left))}: it may end PartiallyCompleted.`,
        });
      }
    }
  }
  return { warnings, skipped };
}
