import type { JobStatusEvent } from "./event";

/**
 * Every SNS message attribute the notifier sets, in one place: subscription filter policies match on them, so they
 * are part of the public contract (listed in docs/architecture.md). An SQS subscription with raw message delivery
 * drops a message that carries more than 10 attributes, so no event may carry more; `test/domain/
 * message-attributes.test.ts` checks every event type against this limit. Values are never empty: SNS rejects them.
 */
export const MESSAGE_ATTRIBUTES = {
  eventType: "the event's type: JobDiscovered or JobStatusChanged",
  status: "the job's status now",
  previousStatus: 'the status last announced, or "none" for a first sighting',
  severity: "error, warning or info",
  jobName: "the job's name",
  modelId: "the job's model id",
} as const;

export type MessageAttributeName = keyof typeof MESSAGE_ATTRIBUTES;

/** SQS raw message delivery keeps at most this many attributes. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

export function messageAttributes(event: JobStatusEvent): Record<MessageAttributeName, string> {
  return {
    eventType: event.type,
    status: event.job.status,
    // SNS rejects empty attribute values; "none" lets a filter policy select first sightings.
    previousStatus: event.previousStatus ?? "none",
    severity: event.severity,
    jobName: event.job.jobName,
    modelId: event.job.modelId,
  };
}
