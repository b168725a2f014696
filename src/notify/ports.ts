/** One message for a people-facing topic (email or chat). */
export interface TopicMessage {
  /** Only email subscriptions show it; SNS requires ASCII, no line breaks, at most 100 characters. */
  subject?: string;
  body: string;
  /** String attributes, so subscriptions on this topic can use the same filter policies as on the events topic. */
  attributes: Record<string, string>;
}

/** A topic people subscribe to (email, Amazon Q Developer). Throws when the message was not accepted. */
export interface MessageTopic {
  publish(message: TopicMessage): Promise<void>;
}

/** One event for an EventBridge bus. */
export interface BusEvent {
  source: string;
  detailType: string;
  /** The JSON document rules match on (`detail.*`). */
  detail: string;
  resources: string[];
  time: Date;
}

/** A custom EventBridge bus. Throws when the event was not accepted. */
export interface EventBus {
  put(event: BusEvent): Promise<void>;
}

/** Secret values by name (a webhook URL). Throws when the secret cannot be read. */
export interface SecretSource {
  get(name: string): Promise<string>;
}

/** Posts a JSON body to a URL. Throws when the post was not accepted (anything but 2xx). */
export interface WebhookPoster {
  postJson(url: string, body: string): Promise<void>;
}

/** The structured logger the use case reports to (Powertools Logger in Lambda). */
export interface NotifyLogger {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * What became of one delivery under the ledger: posted now; dropped as a re-send of an event already delivered; or
 * posted, but the record of it could not be written (a re-send may then post again).
 */
export type LedgerOutcome = "delivered" | "duplicate" | "delivered-unrecorded";

/**
 * Remembers which events one destination was given, so a re-send of an event (same `eventId`) never reaches people
 * twice. Throws DeliveryInProgressError while another invocation is delivering the same event, DeliveryLedgerError
 * when it cannot tell (nothing posted in either case), and the delivery's own error when `deliver` throws (the
 * event is then not recorded, so a retry posts it).
 */
export interface DeliveryLedger {
  once(eventId: string, deliver: () => Promise<void>): Promise<LedgerOutcome>;
}
