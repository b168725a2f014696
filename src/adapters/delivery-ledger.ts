import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { DeliveryInProgressError, DeliveryLedgerError } from "../errors";
import type { DeliveryLedger, LedgerOutcome } from "../notify/ports";

export interface DeliveryLedgerOptions {
  /** Bounded by the invocation's deadline in Lambda (`boundedClient`), like every other SDK client. */
  client: DynamoDBClient;
  tableName: string;
  /** The channel's name, for errors: "email", "chat", "slack", "teams". */
  channel: string;
  /**
   * Which destination of the channel (a topic ARN, a parameter NAME; never a secret). It prefixes every key, so each
   * destination is given each event once, and two destinations never shadow each other.
   */
  destination: string;
  /** How long a delivered event is remembered: see docs/reliability.md ("How long a delivery is remembered"). */
  expiresAfterSeconds: number;
  /** The time this invocation has left, or undefined outside Lambda. */
  remainingTimeMs: () => number | undefined;
}

/**
 * Without a deadline (a local tool calling the use case), hold an in-progress record for the longest a Lambda
 * invocation can run: it must expire on its own if the process dies, and never before a live delivery ends.
 */
const LOCK_WITHOUT_DEADLINE_MS = 15 * 60_000;

/** What the delivery function returns, stored in the record; a replay returns the same without calling it. */
const DELIVERED = "delivered";

/**
 * The DeliveryLedger on Powertools idempotency (`makeIdempotent` around the one step that posts) and its DynamoDB
 * persistence layer. Per event: a conditional PutItem of an INPROGRESS record (expiring with the invocation), the
 * post, then an UpdateItem to COMPLETED (expiring after `expiresAfterSeconds`); a failed post deletes the record so
 * the retry posts. Keys: `<channel>#<destination>#<md5 of the eventId>`.
 *
 * `makeIdempotent` rather than the middy `makeHandlerIdempotent`: the unit to make idempotent is one event to one
 * destination, not the SNS invocation (whose body the middleware would hash whole, malformed or not), and the use
 * case has to tell a dropped re-send from a delivery (it logs and counts them apart).
 */
export class PowertoolsDeliveryLedger implements DeliveryLedger {
  readonly #deliverOnce: (key: { eventId: string }, deliver: () => Promise<void>) => Promise<string>;
  readonly #channel: string;

  constructor(options: DeliveryLedgerOptions) {
    this.#channel = options.channel;
    const config = new IdempotencyConfig({
      eventKeyJmesPath: "eventId",
      // Every event has an id (the parser checks it); without one we would rather fail than post unguarded.
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: options.expiresAfterSeconds,
    });
    // The in-progress record expires when this invocation does (Powertools reads `getRemainingTimeInMillis` on each
    // call): a function that dies mid-delivery does not block Lambda's retry of it. Never 0, which Powertools reads
    // as "unknown" and then writes no expiry at all (the record would block every retry until the TTL).
    config.registerLambdaContext({
      getRemainingTimeInMillis: () => Math.max(1, options.remainingTimeMs() ?? LOCK_WITHOUT_DEADLINE_MS),
    } as Context);
    this.#deliverOnce = makeIdempotent(
      async (_key: { eventId: string }, deliver: () => Promise<void>): Promise<string> => {
        await deliver();
        return DELIVERED;
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({
          tableName: options.tableName,
          awsSdkV3Client: options.client,
        }),
        config,
        keyPrefix: `${options.channel}#${options.destination}`,
        dataIndexArgument: 0,
      },
    );
  }

  async once(eventId: string, deliver: () => Promise<void>): Promise<LedgerOutcome> {
    let called = false;
    let posted = false;
    let deliveryError: unknown;
    const tracked = async (): Promise<void> => {
      called = true;
      try {
        await deliver();
      } catch (error) {
        deliveryError = error;
        throw error;
      }
      posted = true;
    };

    try {
      await this.#deliverOnce({ eventId }, tracked);
    } catch (error) {
      // Posted, but the COMPLETED update failed: the record stays INPROGRESS until this invocation's deadline.
      if (posted) return "delivered-unrecorded";
      // The post failed: Powertools deleted the record (or, failing that, it expires with the invocation), so a
      // retry posts. The post's own error is what the operator needs to see.
      if (called) throw deliveryError;
      if ((error as { name?: unknown })?.name === "IdempotencyAlreadyInProgressError") {
        throw new DeliveryInProgressError(this.#channel, eventId, { cause: error });
      }
      throw new DeliveryLedgerError(this.#channel, eventId, { cause: error });
    }
    return called ? "delivered" : "duplicate";
  }
}
