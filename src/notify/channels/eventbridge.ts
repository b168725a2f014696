import type { JobStatusEvent } from "../../domain/event";
import { toOutboundMessage } from "../../domain/message";
import type { NotificationChannel } from "../channel";
import type { EventBus } from "../ports";

export const EVENT_DETAIL_TYPE = "Bedrock Batch Job Status Change";
export const DEFAULT_EVENT_SOURCE = "bedrock-job-notifier";

/** PutEvents counts Source, DetailType, Detail, Resources and 14 bytes for Time against 256 KB per entry. */
const PUT_EVENTS_MAX_ENTRY_BYTES = 262_144;
const TIME_BYTES = 14;

/**
 * Puts the event, unchanged, as the `detail` of an EventBridge event on a custom bus, so rules can route it
 * with patterns such as `{"detail": {"job": {"status": ["Failed"]}}}`.
 */
export class EventBridgeChannel implements NotificationChannel {
  readonly name = "eventbridge";

  constructor(
    private readonly bus: EventBus,
    private readonly source: string = DEFAULT_EVENT_SOURCE,
  ) {}

  async deliver(event: JobStatusEvent): Promise<void> {
    const overhead =
      Buffer.byteLength(this.source) +
      Buffer.byteLength(EVENT_DETAIL_TYPE) +
      Buffer.byteLength(event.job.jobArn) +
      TIME_BYTES;
    // Reuses the events topic's fitting rule: the failure message is shortened and flagged, nothing dropped.
    // (It also counts the SNS attributes, which only makes the budget more conservative.)
    const detail = toOutboundMessage(event, PUT_EVENTS_MAX_ENTRY_BYTES - overhead).body;
    await this.bus.put({
      source: this.source,
      detailType: EVENT_DETAIL_TYPE,
      detail,
      resources: [event.job.jobArn],
      time: new Date(event.detectedAt),
    });
  }
}
