import type { DailyDigestEvent } from "./digest";
import type { JobStatusEvent } from "./event";
import { isDigest, isWarning, type NotifierEvent } from "./notifier-event";
import type { JobWarningEvent } from "./warning-event";

/**
 * Every SNS message attribute the notifier sets, in one place: subscription filter policies match on them, so they
 * are part of the public contract (listed in docs/architecture.md). An SQS subscription with raw message delivery
 * drops a message that carries more than 10 attributes, so no event may carry more; `test/domain/
 * message-attributes.test.ts` checks every event type against this limit. Values are never empty: SNS rejects them.
 */
export const MESSAGE_ATTRIBUTES = {
  eventType: "the event's type: JobDiscovered, JobStatusChanged, JobWarning or DailyDigest",
  status: "the job's status now (transitions only: a filter on it never selects a warning)",
  previousStatus: 'the status last announced, or "none" for a first sighting (transitions only)',
  warningKind: "StuckInStatus, ExpiryApproaching, HighErrorRate, NoProgress or MayNotFinish (warnings only)",
  severity: "error, warning or info",
  jobName: "the job's name",
  modelId: "the job's model id",
  accountId: "the account the job runs in (12 digits)",
  region: "the region the job runs in",
} as const;

export type MessageAttributeName = keyof typeof MESSAGE_ATTRIBUTES;

/** SQS raw message delivery keeps at most this many attributes. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Every attribute, except `accountId` and `region` when the job ARN did not name them (SNS rejects empty values). */
export function messageAttributes(event: JobStatusEvent): Partial<Record<MessageAttributeName, string>> {
  return {
    eventType: event.type,
    status: event.job.status,
    // SNS rejects empty attribute values; "none" lets a filter policy select first sightings.
    previousStatus: event.previousStatus ?? "none",
    severity: event.severity,
    jobName: event.job.jobName,
    modelId: event.job.modelId,
    ...(event.job.accountId ? { accountId: event.job.accountId } : {}),
    ...(event.job.region ? { region: event.job.region } : {}),
  };
}

/**
 * A warning's attributes: `eventType=JobWarning` and its kind, and no `status` or `previousStatus`, so a subscription
 * that filters on `status` (made before warnings existed) never receives one.
 */
export function warningAttributes(event: JobWarningEvent): Partial<Record<MessageAttributeName, string>> {
  return {
    eventType: event.type,
    warningKind: event.warning.kind,
    severity: event.severity,
    jobName: event.job.jobName,
    modelId: event.job.modelId,
    ...(event.job.accountId ? { accountId: event.job.accountId } : {}),
    ...(event.job.region ? { region: event.job.region } : {}),
  };
}

/**
 * The daily digest's attributes: `eventType=DailyDigest` and its severity only. It is about many jobs, so it has no
 * job, status, account or region; a subscription that filters on any of those never receives it.
 */
export function digestAttributes(event: DailyDigestEvent): Partial<Record<MessageAttributeName, string>> {
  return { eventType: event.type, severity: event.severity };
}

/** The attributes any event is published with: a transition's, a warning's or the digest's. */
export function attributesOf(event: NotifierEvent): Record<string, string> {
  const attributes = isDigest(event)
    ? digestAttributes(event)
    : isWarning(event)
      ? warningAttributes(event)
      : messageAttributes(event);
  return attributes as Record<string, string>;
}
