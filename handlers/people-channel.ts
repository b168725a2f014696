import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PowertoolsDeliveryLedger } from "../src/adapters/delivery-ledger";
import {
  boundedClient,
  invocationDeadline,
  REQUEST_LIMITS,
  type RequestLimits,
} from "../src/adapters/request-deadline";
import type { DeliveryLedgerConfig } from "../src/config/channel-config";
import type { DeliveryLedger } from "../src/notify/ports";

// What the people channels (email, chat, Slack, Teams) add to the notify runtime: the record of what they delivered.
// Apart from handlers/notify-runtime.ts so that the EventBridge function does not bundle it.

/**
 * For a people channel's own delivery calls (SNS Publish, the webhook posts): they stop 2 s before the deadline
 * rather than 1 s, so that the delivery can still be recorded after them (one UpdateItem, bounded 1 s before it).
 * A delivery that ends without its record can be posted again by a re-send: docs/reliability.md.
 */
export const DELIVERY_RESERVE_MS = 2_000;
export const DELIVERY_LIMITS: Readonly<RequestLimits> = Object.freeze({
  ...REQUEST_LIMITS,
  safetyMarginMs: DELIVERY_RESERVE_MS,
});

/**
 * The record of what one destination of a people channel was given (Powertools idempotency on DynamoDB), its
 * in-progress records expiring with the invocation. Built at cold start, once per sandbox.
 */
export function deliveryLedger(config: DeliveryLedgerConfig, channel: string, destination: string): DeliveryLedger {
  return new PowertoolsDeliveryLedger({
    client: boundedClient(DynamoDBClient, {}),
    tableName: config.tableName,
    channel,
    destination,
    expiresAfterSeconds: config.ttlHours * 3600,
    remainingTimeMs: () => invocationDeadline.remainingMs(),
  });
}
