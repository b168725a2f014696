import { parseBedrockJobEvent } from "../domain/bedrock-event";
import { parseJobArn } from "../domain/job";
import { type Estate, inEstate, type Scope, scopeId, scopeOfJob } from "../domain/scope";
import {
  type ConfirmJobsDependencies,
  type ConfirmJobsReport,
  confirmJobs,
  type JobConfirmation,
} from "../poll/confirm-jobs";
import type { Invocation } from "../poll/invocation";
import type { ScopeAccessFactory, SharedDelivery } from "./ports";

export interface EventBatchDependencies extends SharedDelivery {
  estate: Estate;
  partition: string;
  access: ScopeAccessFactory;
  leaseWait?: ConfirmJobsDependencies["leaseWait"];
}

/** One queued Bedrock event: the SQS message id and its body (the EventBridge event, as the rule delivered it). */
export interface QueuedEvent {
  id: string;
  body: string;
}

/** What became of one queued event. Only `retry` asks the queue to deliver it again. */
export type EventOutcome = JobConfirmation | "malformed" | "not-in-estate";

export type ScopeConfirmation =
  | { scope: Scope; ok: true; report: ConfirmJobsReport }
  | { scope: Scope; ok: false; error: Error };

export interface EventBatch {
  /** Each event's outcome, settled as soon as its scope is done. */
  outcomes: Map<string, Promise<EventOutcome>>;
  /** Every scope of the batch, once all are done. */
  scopes: Promise<ScopeConfirmation[]>;
}

/**
 * Confirms a batch of Bedrock events: grouped by scope, one lease per scope per batch, each scope's jobs through the
 * write path at once (`confirmJobs`), the scopes concurrently and apart, so a scope that fails retries only its
 * own events. A malformed event, or one from a scope this deployment does not watch (a forwarding rule left in an
 * account removed from the estate), is counted and dropped: delivering it again cannot help.
 */
export function confirmEventBatch(
  deps: EventBatchDependencies,
  invocation: Invocation,
  events: readonly QueuedEvent[],
): EventBatch {
  const outcomes = new Map<string, Promise<EventOutcome>>();
  const byScope = new Map<string, { scope: Scope; events: Array<{ id: string; jobArn: string }> }>();
  for (const event of events) {
    const parsed = parseBedrockJobEvent(parseJson(event.body));
    if (!parsed.ok) {
      deps.diagnostics.warn("bedrock-event-malformed", { reason: parsed.reason });
      outcomes.set(event.id, Promise.resolve("malformed"));
      continue;
    }
    const scope = scopeOfJob(parsed.jobArn);
    if (!scope || parseJobArn(parsed.jobArn)?.partition !== deps.partition || !inEstate(deps.estate, scope)) {
      deps.diagnostics.warn("bedrock-event-foreign", { jobArn: parsed.jobArn, reason: "not a scope of this estate" });
      outcomes.set(event.id, Promise.resolve("not-in-estate"));
      continue;
    }
    const key = scopeId(scope);
    const group = byScope.get(key) ?? { scope, events: [] };
    group.events.push({ id: event.id, jobArn: parsed.jobArn });
    byScope.set(key, group);
  }

  const scopes = [...byScope.values()].map(async ({ scope, events: scoped }): Promise<ScopeConfirmation> => {
    try {
      const report = await confirmJobs(
        { ...deps, ...deps.access(scope) },
        invocation,
        scoped.map(({ jobArn }) => jobArn),
      );
      return { scope, ok: true, report };
    } catch (error) {
      return { scope, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  [...byScope.values()].forEach(({ events: scoped }, index) => {
    const done = scopes[index] as Promise<ScopeConfirmation>;
    for (const { id, jobArn } of scoped) {
      outcomes.set(
        id,
        done.then((result) => (result.ok ? (result.report.jobs.get(jobArn) ?? "retry") : "retry")),
      );
    }
  });
  return { outcomes, scopes: Promise.all(scopes) };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
