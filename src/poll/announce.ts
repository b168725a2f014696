import { diffJobs, recordOf } from "../domain/diff";
import type { BatchJob } from "../domain/job";
import { isMalformed, type StoredRecord } from "../domain/snapshot";
import type { Transition } from "../domain/transition";
import { type Delivery, type DeliveryCounts, type DeliveryDependencies, deliver, NO_DELIVERY } from "./deliver";
import { deliverWarnings, NO_WARNINGS, type PendingWarning, type WarningCounts } from "./deliver-warnings";
import type { Invocation } from "./invocation";
import { withLease } from "./lease";
import type { Diagnostics, MetaProgress } from "./ports";

/** What a path that saw changes asks to have announced. */
export interface Announcement {
  /** Jobs whose sighting differed from the snapshot when it was read: decided again under the lease. */
  jobs: readonly BatchJob[];
  /** First run only: jobs to record silently, unless a row for them exists already. */
  baseline?: readonly BatchJob[];
  /** What the meta row records as the lease is given back (the watermark, the deep reconciliation). */
  progressAfter?: (undelivered: readonly Transition[]) => MetaProgress;
  /** Early warnings that held when the rows were first read: sent after the transitions, if they still hold. */
  warnings?: readonly PendingWarning[];
}

/** delivered: at least one event accepted; undelivered: something to announce, nothing went out; unchanged: nothing to announce after all. */
export type AnnouncementOutcome = "delivered" | "undelivered" | "unchanged" | "lease-busy";

export interface AnnouncementResult extends Delivery {
  outcome: AnnouncementOutcome;
  warnings: WarningCounts;
  /** The transitions decided under the lease (sent or not): a job not among them had nothing left to announce. */
  decided: readonly Transition[];
}

/**
 * The write path every announcement takes, whichever path saw the change: take the lease → decide again on strongly
 * consistent rows (another writer may have committed since the first read) → record the baseline → publish → commit
 * → give the lease back, moving the watermark. When another writer holds the lease nothing happens: the holder, or
 * the next poll, sends.
 */
export async function announceUnderLease(
  deps: DeliveryDependencies,
  invocation: Invocation,
  announcement: Announcement,
): Promise<AnnouncementResult> {
  const { snapshot, clock, diagnostics } = deps;
  const baseline = announcement.baseline ?? [];
  const warnings = announcement.warnings ?? [];
  const leased = await withLease(
    deps,
    invocation,
    async () => {
      const stored = await snapshot.getRecords(
        [...announcement.jobs, ...baseline, ...warnings.map(({ job }) => job)].map((job) => job.jobArn),
      );
      const { transitions } = diffJobs(stored, announcement.jobs);
      if (announcement.baseline) {
        // The first run reads its rows only here; later reads were reported where they were first made.
        reportMalformed(diagnostics, stored);
        // A first run that stopped part-way, or overlapped another, has recorded some jobs: never overwrite a row.
        const unrecorded = baseline.filter((job) => !stored.has(job.jobArn));
        await snapshot.recordBaseline(unrecorded.map(recordOf), clock());
      }
      const delivery = await deliver(deps, invocation, transitions, stored);
      const changing = new Set(transitions.map(({ job }) => job.jobArn));
      const stillDue = warnings.filter(({ job, warning }) => {
        const row = stored.get(job.jobArn);
        if (!row || isMalformed(row) || changing.has(job.jobArn)) return false;
        return row.status === job.status && !row.warned?.includes(warning.kind);
      });
      return { ...delivery, decided: transitions, warnings: await deliverWarnings(deps, invocation, stillDue) };
    },
    (delivery) => announcement.progressAfter?.(delivery.undelivered) ?? {},
  );
  if (!leased.leased) {
    return {
      outcome: "lease-busy",
      counts: { ...NO_DELIVERY },
      undelivered: [],
      decided: [],
      warnings: { ...NO_WARNINGS },
    };
  }
  return { outcome: outcomeOf(leased.result.counts, leased.result.warnings), ...leased.result };
}

function outcomeOf(counts: DeliveryCounts, warnings: WarningCounts): AnnouncementOutcome {
  if (counts.published > 0 || warnings.warningsPublished > 0) return "delivered";
  return counts.transitions > 0 || warnings.warnings > 0 ? "undelivered" : "unchanged";
}

export function reportMalformed(diagnostics: Diagnostics, records: ReadonlyMap<string, StoredRecord>): void {
  for (const record of records.values()) {
    if (isMalformed(record))
      diagnostics.warn("snapshot-row-malformed", { jobArn: record.jobArn, reason: record.malformed });
  }
}
