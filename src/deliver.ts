import { diffJobs, recordOf } from "./domain/diff";
import { buildEvent } from "./domain/event";
import type { BatchJob } from "./domain/job";
import { toOutboundMessage } from "./domain/message";
import type { SnapshotRecord } from "./domain/snapshot";
import type { Transition } from "./domain/transition";
import type { Diagnostics, Publisher, SnapshotStore } from "./ports";

/** Publishing stops this long before the deadline, so commits and the lease release still fit in the invocation. */
export const DEADLINE_MARGIN_MS = 5_000;
/** SNS PublishBatch takes at most 10 entries. */
const PUBLISH_CHUNK = 10;

/** What every path that announces transitions (the scheduled poll, the Bedrock event) needs. */
export interface DeliveryDependencies {
  snapshot: SnapshotStore;
  publisher: Publisher;
  diagnostics: Diagnostics;
  /** The current time; read at each step that needs it, so the deadline check sees time pass. */
  clock: () => Date;
}

export interface DeliveryInvocation {
  /** Identifies this invocation as the lease owner. */
  pollId: string;
  /** When the invocation will be stopped (Lambda timeout); the lease is held until then. */
  deadline: Date;
}

export interface DeliveryReport {
  transitions: number;
  published: number;
  publishFailed: number;
  committed: number;
  /** Transitions left for the next poll because the deadline came near. */
  deferred: number;
  /** Oldest announced change's age at detection, in seconds (Bedrock's lastModifiedTime to now). */
  maxLagSeconds: number;
}

export const emptyDeliveryReport = (): DeliveryReport => ({
  transitions: 0,
  published: 0,
  publishFailed: 0,
  committed: 0,
  deferred: 0,
  maxLagSeconds: 0,
});

/** Publishes in chunks, commits what SNS accepted, and returns the transitions that were not delivered. */
export async function deliver(
  deps: DeliveryDependencies,
  invocation: DeliveryInvocation,
  transitions: Transition[],
  previous: ReadonlyMap<string, SnapshotRecord>,
  report: DeliveryReport,
): Promise<Transition[]> {
  const { publisher, snapshot, clock } = deps;
  const undelivered: Transition[] = [];
  report.transitions += transitions.length;
  for (let start = 0; start < transitions.length; start += PUBLISH_CHUNK) {
    const chunk = transitions.slice(start, start + PUBLISH_CHUNK);
    const now = clock();
    if (invocation.deadline.getTime() - now.getTime() < DEADLINE_MARGIN_MS) {
      const rest = transitions.slice(start);
      report.deferred += rest.length;
      undelivered.push(...rest);
      break;
    }
    const events = chunk.map((transition) => buildEvent(transition, now));
    const outcomes = await publisher.publish(events.map((event) => toOutboundMessage(event)));
    const accepted = new Set(outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.id));
    const toCommit: Transition[] = [];
    for (const [index, transition] of chunk.entries()) {
      const event = events[index];
      if (!event || !accepted.has(event.eventId)) {
        report.publishFailed++;
        undelivered.push(transition);
        continue;
      }
      report.published++;
      report.maxLagSeconds = Math.max(report.maxLagSeconds, lagSeconds(transition.job, now));
      toCommit.push(transition);
    }
    // Different rows, independent conditional writes: one round trip per chunk instead of one per transition.
    const committed = await Promise.all(
      toCommit.map((transition) =>
        snapshot.commit(recordOf(transition.job), previous.get(transition.job.jobArn), clock()),
      ),
    );
    committed.forEach((ok, index) => {
      if (ok) report.committed++;
      else deps.diagnostics.warn("commit-conflict", { jobArn: toCommit[index]?.job.jobArn });
    });
  }
  return undelivered;
}

function lagSeconds(job: BatchJob, now: Date): number {
  const changedAt = job.lastModifiedTime ?? job.submitTime;
  return Math.max(0, Math.round((now.getTime() - changedAt.getTime()) / 1000));
}

/**
 * Runs `work` holding the writer lease, then gives the lease back, moving the watermark to what `work` returned.
 * Returns false, without running `work`, when another writer holds the lease. On an error the lease is given back at
 * once (the next poll need not wait for it to expire), the watermark stays put, and the error is rethrown.
 */
export async function withLease(
  deps: DeliveryDependencies,
  invocation: DeliveryInvocation,
  work: () => Promise<Date | undefined>,
): Promise<boolean> {
  const { snapshot } = deps;
  if (!(await snapshot.acquireLease(invocation.pollId, deps.clock(), invocation.deadline))) return false;
  let watermark: Date | undefined;
  try {
    watermark = await work();
  } catch (error) {
    await snapshot.releaseLease(invocation.pollId).catch(() => undefined);
    throw error;
  }
  await snapshot.releaseLease(invocation.pollId, watermark);
  return true;
}

/**
 * Under the lease: decides again on strongly consistent rows, since another writer may have committed between the
 * first read and the lease, then delivers. Returns the transitions that were not delivered.
 */
export async function confirmAndDeliver(
  deps: DeliveryDependencies,
  invocation: DeliveryInvocation,
  jobs: readonly BatchJob[],
  report: DeliveryReport,
): Promise<Transition[]> {
  const fresh = await deps.snapshot.getRecords(jobs.map((job) => job.jobArn));
  const { transitions } = diffJobs(fresh, jobs);
  return deliver(deps, invocation, transitions, fresh, report);
}
