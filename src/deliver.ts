import { recordOf } from "./domain/diff";
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
