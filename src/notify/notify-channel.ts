import type { SNSEvent } from "aws-lambda";
import { isDigest, isWarning, type NotifierEvent } from "../domain/notifier-event";
import { ChannelDeliveryError, MalformedEventError } from "../errors";
import type { NotificationChannel } from "./channel";
import { parseNotifierEvent } from "./parse-event";
import type { DeliveryLedger, LedgerOutcome, NotifyLogger } from "./ports";

export interface NotifyDependencies {
  channel: NotificationChannel;
  logger: NotifyLogger;
  /**
   * People channels: the record of what this destination was given, so a re-send (same eventId) is dropped.
   * Machine channels go without (their consumers deduplicate by eventId themselves).
   */
  ledger?: DeliveryLedger;
}

export interface NotifyOutcome {
  delivered: number;
  /** Malformed bodies, logged and dropped: retrying cannot make them valid. */
  skipped: number;
  /** Re-sends of events this destination was already given, dropped. */
  duplicates: number;
}

const errorSummary = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { errorName: error.name, errorMessage: error.message } : { errorName: typeof error };

/**
 * SNS event (from the events topic) → validated event (a transition, an early warning or the daily digest) → one
 * channel.
 *
 * A malformed body is logged without its content and skipped, so it can neither crash the batch nor be retried
 * forever. A delivery failure is logged per event and then thrown as one ChannelDeliveryError, which makes
 * Lambda retry the invocation and, when retries are spent, hand it to the on-failure destination (the DLQ).
 * SNS invokes a function with one record at a time, so a retry never repeats another event's delivery.
 * With a ledger (people channels), an event this destination was already given is dropped, not posted again.
 */
export async function notifyChannel(
  snsEvent: SNSEvent,
  { channel, logger, ledger }: NotifyDependencies,
): Promise<NotifyOutcome> {
  const records = Array.isArray(snsEvent?.Records) ? snsEvent.Records : [];
  if (records.length === 0) logger.warn("Invocation without SNS records ignored", { channel: channel.name });

  let delivered = 0;
  let skipped = 0;
  let duplicates = 0;
  const failures: unknown[] = [];

  for (const record of records) {
    const messageId = record?.Sns?.MessageId;
    let event: NotifierEvent;
    try {
      event = parseNotifierEvent(typeof record?.Sns?.Message === "string" ? record.Sns.Message : "");
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      skipped++;
      // The problems name fields, never values: the body may hold a sensitive failure message.
      logger.warn("Malformed event skipped", { channel: channel.name, messageId, problems: error.problems });
      continue;
    }

    const context = {
      channel: channel.name,
      messageId,
      eventId: event.eventId,
      type: event.type,
      // The digest is about many jobs: no status of its own.
      ...(isDigest(event) ? {} : { status: event.job.status }),
      ...(isWarning(event) ? { warningKind: event.warning.kind } : {}),
    };
    try {
      const outcome = await deliverOnce(event, channel, ledger);
      if (outcome === "duplicate") {
        duplicates++;
        logger.info("Re-send dropped: this event was already delivered here", context);
        continue;
      }
      delivered++;
      if (outcome === "delivered-unrecorded") {
        // Failing now would make Lambda retry, and the retry would certainly post again; succeeding risks a second
        // post only if a re-send of this event arrives.
        logger.warn("Event delivered, but the delivery could not be recorded: a re-send may post it again", context);
      } else logger.info("Event delivered", context);
    } catch (error) {
      failures.push(error);
      logger.error("Event delivery failed", { ...context, ...errorSummary(error) });
    }
  }

  if (failures.length > 0) {
    const cause = failures.length === 1 ? failures[0] : new AggregateError(failures, "several deliveries failed");
    throw new ChannelDeliveryError(channel.name, failures.length, records.length - skipped, { cause });
  }
  return { delivered, skipped, duplicates };
}

/** Through the ledger when there is one; straight to the channel otherwise. */
async function deliverOnce(
  event: NotifierEvent,
  channel: NotificationChannel,
  ledger: DeliveryLedger | undefined,
): Promise<LedgerOutcome> {
  if (ledger) return ledger.once(event.eventId, () => channel.deliver(event));
  await channel.deliver(event);
  return "delivered";
}
