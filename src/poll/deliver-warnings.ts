import type { BatchJob } from "../domain/job";
import { toWarningMessage } from "../domain/message";
import type { Progress } from "../domain/progress";
import { buildWarningEvent } from "../domain/warning-event";
import type { JobWarning } from "../domain/warnings";
import { DEADLINE_MARGIN_MS, type DeliveryDependencies } from "./deliver";
import type { Invocation } from "./invocation";

/** A warning that holds for an open job and has not been sent for it yet. */
export interface PendingWarning {
  job: BatchJob;
  warning: JobWarning;
  progress: Progress;
}

export interface WarningCounts {
  /** Warnings offered to SNS. */
  warnings: number;
  warningsPublished: number;
  warningsFailed: number;
  warningsCommitted: number;
}

export const NO_WARNINGS: Readonly<WarningCounts> = Object.freeze({
  warnings: 0,
  warningsPublished: 0,
  warningsFailed: 0,
  warningsCommitted: 0,
});

/**
 * Publishes warnings, then records each one SNS accepted on its job's row, as transitions are: a warning not
 * recorded is sent again by the next poll (with the same eventId), one recorded is never sent again. Stops before
 * the deadline like `deliver`.
 */
export async function deliverWarnings(
  deps: DeliveryDependencies,
  invocation: Invocation,
  warnings: readonly PendingWarning[],
): Promise<WarningCounts> {
  const counts: WarningCounts = { ...NO_WARNINGS, warnings: warnings.length };
  const nearDeadline = () => invocation.deadline.getTime() - deps.clock().getTime() < DEADLINE_MARGIN_MS;
  if (warnings.length === 0 || nearDeadline()) return counts;
  const detectedAt = deps.clock();
  const pending = new Map<string, PendingWarning>();
  const messages = warnings.map((pendingWarning) => {
    const message = toWarningMessage(
      buildWarningEvent(pendingWarning.job, pendingWarning.warning, pendingWarning.progress, detectedAt),
    );
    pending.set(message.id, pendingWarning);
    return message;
  });
  for await (const outcomes of deps.publisher.publish(messages)) {
    const accepted: PendingWarning[] = [];
    for (const outcome of outcomes) {
      const sent = pending.get(outcome.id);
      if (!sent) continue;
      pending.delete(outcome.id);
      if (outcome.ok) accepted.push(sent);
      else counts.warningsFailed++;
    }
    counts.warningsPublished += accepted.length;
    if (deps.clock().getTime() > invocation.deadline.getTime()) {
      deps.diagnostics.warn("lease-expired", { uncommitted: accepted.length });
      break;
    }
    const recorded = await Promise.all(
      accepted.map(({ job, warning }) =>
        deps.snapshot.recordWarning(job.jobArn, job.status, warning.kind, deps.clock()),
      ),
    );
    recorded.forEach((ok, index) => {
      if (!ok) deps.diagnostics.warn("commit-conflict", { jobArn: accepted[index]?.job.jobArn });
    });
    counts.warningsCommitted += recorded.filter(Boolean).length;
    if (nearDeadline()) break;
  }
  return counts;
}
