import { recordOf } from "../domain/diff";
import { buildEvent, type JobStatusEvent } from "../domain/event";
import type { BatchJob } from "../domain/job";
import { toOutboundMessage } from "../domain/message";
import { jobProgress } from "../domain/progress";
import { isMalformed, type StoredRecord } from "../domain/snapshot";
import type { Transition } from "../domain/transition";
import { eventJobWithProgress } from "../domain/warning-event";
import type { Invocation, WriterDependencies } from "./invocation";
import type { Publisher } from "./ports";

/** Publishing stops this long before the deadline, so commits and the lease release still fit in the invocation. */
export const DEADLINE_MARGIN_MS = 5_000;

export interface DeliveryDependencies extends WriterDependencies {
  publisher: Publisher;
}

export interface DeliveryCounts {
  transitions: number;
  published: number;
  publishFailed: number;
  committed: number;
  /** Transitions left for the next poll because the deadline came near. */
  deferred: number;
  /** Oldest announced change's age at detection, in seconds (Bedrock's lastModifiedTime to now). */
  maxLagSeconds: number;
}

export const NO_DELIVERY: Readonly<DeliveryCounts> = Object.freeze({
  transitions: 0,
  published: 0,
  publishFailed: 0,
  committed: 0,
  deferred: 0,
  maxLagSeconds: 0,
});

export interface Delivery {
  counts: DeliveryCounts;
  /** The transitions that did not go out (refused or deferred), in the order given: the next poll sends them. */
  undelivered: Transition[];
}

/**
 * Publishes the transitions' events and commits each one SNS accepted, as soon as its request is answered, against
 * the row it was decided on (`previous`). Stops publishing when the deadline comes near.
 */
export async function deliver(
  deps: DeliveryDependencies,
  invocation: Invocation,
  transitions: readonly Transition[],
  previous: ReadonlyMap<string, StoredRecord>,
): Promise<Delivery> {
  const { publisher, clock } = deps;
  const counts: DeliveryCounts = { ...NO_DELIVERY, transitions: transitions.length };
  const nearDeadline = () => invocation.deadline.getTime() - clock().getTime() < DEADLINE_MARGIN_MS;
  if (transitions.length === 0) return { counts, undelivered: [] };

  const detectedAt = clock();
  const pending = new Map<string, Transition>();
  const messages = transitions.map((transition) => {
    const event = withProgress(buildEvent(transition, detectedAt), transition, previous.get(transition.job.jobArn));
    pending.set(event.eventId, transition);
    return toOutboundMessage(event);
  });
  const refused = new Set<Transition>();
  let stoppedForDeadline = nearDeadline();

  if (!stoppedForDeadline) {
    for await (const outcomes of publisher.publish(messages)) {
      const accepted: Transition[] = [];
      for (const outcome of outcomes) {
        const transition = pending.get(outcome.id);
        if (!transition) continue;
        pending.delete(outcome.id);
        if (outcome.ok) accepted.push(transition);
        else refused.add(transition);
      }
      counts.published += accepted.length;
      for (const { job } of accepted) counts.maxLagSeconds = Math.max(counts.maxLagSeconds, lagSeconds(job, clock()));
      // The lease lasts until the deadline (another writer may take it once `now > leaseUntil`): past it, this
      // writer writes nothing more; the next poll re-sends what went out uncommitted, under the same eventIds.
      if (clock().getTime() > invocation.deadline.getTime()) {
        deps.diagnostics.warn("lease-expired", { uncommitted: accepted.length });
        stoppedForDeadline = true;
        break;
      }
      counts.committed += await commitAll(deps, accepted, previous);
      if (nearDeadline()) {
        stoppedForDeadline = true;
        break;
      }
    }
  }

  // Left pending: never offered (the deadline came near) or offered but never reported on (not confirmed: failed).
  if (stoppedForDeadline) counts.deferred = pending.size;
  else for (const transition of pending.values()) refused.add(transition);
  counts.publishFailed = refused.size;
  const left = new Set([...pending.values(), ...refused]);
  return { counts, undelivered: transitions.filter((transition) => left.has(transition)) };
}

/** Different rows, independent conditional writes: one round trip for a whole request's worth. */
async function commitAll(
  { snapshot, clock, diagnostics }: DeliveryDependencies,
  accepted: readonly Transition[],
  previous: ReadonlyMap<string, StoredRecord>,
): Promise<number> {
  const results = await Promise.all(
    accepted.map(({ job }) => snapshot.commit(recordOf(job), previous.get(job.jobArn), clock())),
  );
  results.forEach((ok, index) => {
    if (!ok) diagnostics.warn("commit-conflict", { jobArn: accepted[index]?.job.jobArn });
  });
  return results.filter(Boolean).length;
}

function lagSeconds(job: BatchJob, now: Date): number {
  const changedAt = job.lastModifiedTime ?? job.submitTime;
  return Math.max(0, Math.round((now.getTime() - changedAt.getTime()) / 1000));
}

/**
 * Adds the job's progress (schema 1.1) when Bedrock reported counts: processed/total, error rate, and, from when the
 * notifier first saw the job running (its row, when that was its last announced status), the throughput and ETA.
 */
function withProgress(
  event: JobStatusEvent,
  transition: Transition,
  previous: StoredRecord | undefined,
): JobStatusEvent {
  const { job } = transition;
  if (!job.records) return event;
  const wasRunning = previous && !isMalformed(previous) && previous.status === "InProgress";
  const runningSince = wasRunning
    ? previous.statusSince
    : job.status === "InProgress"
      ? job.lastModifiedTime
      : undefined;
  const detectedAt = new Date(event.detectedAt);
  return { ...event, job: eventJobWithProgress(job, jobProgress(job, detectedAt, runningSince)) };
}
