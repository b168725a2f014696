import {
  type DeliveryDependencies,
  type DeliveryInvocation,
  type DeliveryReport,
  deliver,
  emptyDeliveryReport,
} from "./deliver";
import { diffJobs } from "./domain/diff";
import type { JobSource } from "./ports";

export interface ReconcileJobDependencies extends DeliveryDependencies {
  jobs: JobSource;
}

export type ReconcileOutcome = "delivered" | "undelivered" | "unchanged" | "not-found" | "lease-busy";

export interface ReconcileJobReport extends DeliveryReport {
  outcome: ReconcileOutcome;
}

/**
 * Announces one job's change as soon as Bedrock reports it, through the same lease, snapshot and publisher as the
 * scheduled poll, so a transition is sent once whichever path sees it first. When the lease is busy the event is
 * left to the next poll, which finds the change anyway: this path only makes notifications earlier.
 */
export async function reconcileJob(
  deps: ReconcileJobDependencies,
  invocation: DeliveryInvocation,
  jobArn: string,
): Promise<ReconcileJobReport> {
  const report: ReconcileJobReport = { outcome: "unchanged", ...emptyDeliveryReport() };
  const job = await deps.jobs.getJob(jobArn);
  if (!job) {
    deps.diagnostics.warn("job-vanished", { jobArn });
    return { ...report, outcome: "not-found" };
  }
  const stored = await deps.snapshot.getRecords([jobArn]);
  if (diffJobs(stored, [job]).transitions.length === 0) return report;

  if (!(await deps.snapshot.acquireLease(invocation.pollId, deps.clock(), invocation.deadline))) {
    return { ...report, outcome: "lease-busy" };
  }
  try {
    // Decide again under the lease: the poll may have announced it meanwhile.
    const fresh = await deps.snapshot.getRecords([jobArn]);
    const { transitions } = diffJobs(fresh, [job]);
    await deliver(deps, invocation, transitions, fresh, report);
  } finally {
    await deps.snapshot.releaseLease(invocation.pollId);
  }
  const outcome = report.published > 0 ? "delivered" : report.transitions > 0 ? "undelivered" : "unchanged";
  return { ...report, outcome };
}
