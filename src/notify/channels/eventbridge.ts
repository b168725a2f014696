import { toOutboundMessage } from "../../domain/message";
import { isWarning, type NotifierEvent } from "../../domain/notifier-event";
import type { NotificationChannel } from "../channel";
import type { EventBus } from "../ports";

export const EVENT_DETAIL_TYPE = "Bedrock Batch Job Status Change";
/** Early warnings (schema 1.1) get their own detail-type, so a rule written for transitions never matches one. */
export const WARNING_DETAIL_TYPE = "Bedrock Batch Job Warning";
export const DEFAULT_EVENT_SOURCE = "bedrock-job-notifier";

/** PutEvents counts Source, DetailType, Detail, Resources and 14 bytes for Time against 256 KB per entry. */
const PUT_EVENTS_MAX_ENTRY_BYTES = 262_144;
const TIME_BYTES = 14;

/**
 * Puts the event, unchanged, as the `detail` of an EventBridge event on a custom bus, so rules can route it
 * with patterns such as `{"detail": {"job": {"status": ["Failed"]}}}`. Transitions go out as
 * "Bedrock Batch Job Status Change", early warnings as "Bedrock Batch Job Warning" (match `detail.warning.kind`).
 */
export class EventBridgeChannel implements NotificationChannel {
  readonly name = "eventbridge";

  constructor(
    private readonly bus: EventBus,
    private readonly source: string = DEFAULT_EVENT_SOURCE,
  ) {}

  async deliver(event: NotifierEvent): Promise<void> {
    const detailType = isWarning(event) ? WARNING_DETAIL_TYPE : EVENT_DETAIL_TYPE;
    const overhead =
      Buffer.byteLength(this.source) + Buffer.byteLength(detailType) + Buffer.byteLength(event.job.jobArn) + TIME_BYTES;
    // Reuses the events topic's fitting rule, for transitions and warnings alike: the failure message is shortened
    // and flagged, nothing dropped. (It also counts the SNS attributes, which only makes the budget more conservative.)
    const detail = toOutboundMessage(event, PUT_EVENTS_MAX_ENTRY_BYTES - overhead).body;
    await this.bus.put({
      source: this.source,
      detailType,
      detail,
      resources: [event.job.jobArn],
      time: new Date(event.detectedAt),
    });
  }
}
