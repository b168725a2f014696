import { toDigestMessage, toOutboundMessage } from "../../domain/message";
import { isDigest, isWarning, type NotifierEvent } from "../../domain/notifier-event";
import type { NotificationChannel } from "../channel";
import type { EventBus } from "../ports";

export const EVENT_DETAIL_TYPE = "Bedrock Batch Job Status Change";
/** Early warnings (schema 1.1) get their own detail-type, so a rule written for transitions never matches one. */
export const WARNING_DETAIL_TYPE = "Bedrock Batch Job Warning";
/** The daily digest (schema 1.1): about many jobs, so its own detail-type and no job ARN as resource. */
export const DIGEST_DETAIL_TYPE = "Bedrock Batch Jobs Daily Digest";
export const DEFAULT_EVENT_SOURCE = "bedrock-job-notifier";

/** PutEvents counts Source, DetailType, Detail, Resources and 14 bytes for Time against 256 KB per entry. */
const PUT_EVENTS_MAX_ENTRY_BYTES = 262_144;
const TIME_BYTES = 14;

/**
 * Puts the event, unchanged, as the `detail` of an EventBridge event on a custom bus, so rules can route it
 * with patterns such as `{"detail": {"job": {"status": ["Failed"]}}}`. Transitions go out as
 * "Bedrock Batch Job Status Change", early warnings as "Bedrock Batch Job Warning" (match `detail.warning.kind`),
 * the daily digest as "Bedrock Batch Jobs Daily Digest" (match `detail.severity`, or read `detail.totals`).
 */
export class EventBridgeChannel implements NotificationChannel {
  readonly name = "eventbridge";

  constructor(
    private readonly bus: EventBus,
    private readonly source: string = DEFAULT_EVENT_SOURCE,
  ) {}

  async deliver(event: NotifierEvent): Promise<void> {
    const detailType = isDigest(event)
      ? DIGEST_DETAIL_TYPE
      : isWarning(event)
        ? WARNING_DETAIL_TYPE
        : EVENT_DETAIL_TYPE;
    const resources = isDigest(event) ? [] : [event.job.jobArn];
    const overhead =
      Buffer.byteLength(this.source) +
      Buffer.byteLength(detailType) +
      resources.reduce((bytes, resource) => bytes + Buffer.byteLength(resource), 0) +
      TIME_BYTES;
    // Reuses the events topic's fitting rules: for a job's event the failure message is shortened and flagged, for
    // the digest the quoted examples, then the scopes listed (counted in scopesOmitted); nothing fails. (They also
    // count the SNS attributes, which only makes the budget more conservative.)
    const budget = PUT_EVENTS_MAX_ENTRY_BYTES - overhead;
    const detail = isDigest(event) ? toDigestMessage(event, budget).body : toOutboundMessage(event, budget).body;
    await this.bus.put({ source: this.source, detailType, detail, resources, time: new Date(event.detectedAt) });
  }
}
