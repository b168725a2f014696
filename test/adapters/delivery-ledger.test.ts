import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PowertoolsDeliveryLedger } from "../../src/adapters/delivery-ledger";
import { DeliveryInProgressError, DeliveryLedgerError } from "../../src/errors";

const TABLE = "bedrock-job-notifier-test-NotifyDeliveryTable";
const EVENT_ID = "224da8d3-af11-5de8-adc8-1d3f3f3f2d45";
const dynamodb = mockClient(DynamoDBClient);

const ledger = (remainingTimeMs: () => number | undefined = () => 10_000) =>
  new PowertoolsDeliveryLedger({
    client: new DynamoDBClient({ region: "us-east-1" }),
    tableName: TABLE,
    channel: "slack",
    destination: "/bedrock-job-notifier/slack-webhook-url",
    expiresAfterSeconds: 86_400,
    remainingTimeMs,
  });

/** The table already holds a record for this event: the conditional put fails and hands it back. */
const existing = (status: "COMPLETED" | "INPROGRESS") =>
  new ConditionalCheckFailedException({
    message: "The conditional request failed",
    $metadata: {},
    Item: {
      id: { S: `slack#/bedrock-job-notifier/slack-webhook-url#x` },
      status: { S: status },
      expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
      in_progress_expiration: { N: String(Date.now() + 10_000) },
    },
  });

beforeEach(() => {
  dynamodb.on(PutItemCommand).resolves({});
  dynamodb.on(UpdateItemCommand).resolves({});
  dynamodb.on(DeleteItemCommand).resolves({});
});

afterEach(() => dynamodb.reset());

describe("PowertoolsDeliveryLedger", () => {
  it("delivers an event the table does not know, then records it", async () => {
    // Prepare
    const posts: string[] = [];

    // Act
    const outcome = await ledger().once(EVENT_ID, async () => {
      posts.push("posted");
    });

    // Assess
    expect(outcome).toBe("delivered");
    expect(posts).toEqual(["posted"]);
    expect(dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      ConditionExpression: expect.stringContaining("attribute_not_exists(#id)"),
    });
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it("drops an event the table says was delivered, without calling the delivery", async () => {
    // Prepare
    dynamodb.on(PutItemCommand).rejects(existing("COMPLETED"));
    let called = false;

    // Act
    const outcome = await ledger().once(EVENT_ID, async () => {
      called = true;
    });

    // Assess
    expect(outcome).toBe("duplicate");
    expect(called).toBe(false);
  });

  it("refuses an event another invocation is delivering, with an error Lambda will retry", async () => {
    // Prepare
    dynamodb.on(PutItemCommand).rejects(existing("INPROGRESS"));

    // Act
    const error = await ledger()
      .once(EVENT_ID, async () => undefined)
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(DeliveryInProgressError);
    expect((error as Error).message).toContain(EVENT_ID);
  });

  it("posts nothing when the table cannot be reached", async () => {
    // Prepare
    dynamodb.on(PutItemCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    let called = false;

    // Act
    const error = await ledger()
      .once(EVENT_ID, async () => {
        called = true;
      })
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(DeliveryLedgerError);
    expect(called).toBe(false);
  });

  it("rethrows the delivery's own error and deletes the record, so the retry posts", async () => {
    // Prepare
    const refused = new Error("HTTP 500");

    // Act
    const error = await ledger()
      .once(EVENT_ID, async () => {
        throw refused;
      })
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBe(refused);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(dynamodb.commandCalls(UpdateItemCommand)).toEqual([]);
  });

  it("keeps the delivery's error even when the record cannot be deleted", async () => {
    // Prepare
    dynamodb.on(DeleteItemCommand).rejects(new Error("InternalServerError"));
    const refused = new Error("HTTP 500");

    // Act
    const error = await ledger()
      .once(EVENT_ID, async () => {
        throw refused;
      })
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBe(refused);
  });

  it("reports a delivery whose record could not be written as delivered-unrecorded, not as a failure", async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(new Error("InternalServerError"));

    // Act
    const outcome = await ledger().once(EVENT_ID, async () => undefined);

    // Assess
    expect(outcome).toBe("delivered-unrecorded");
  });

  it.each([
    ["no time left", () => 0],
    ["no deadline at all (a local tool)", () => undefined],
  ])(
    "always writes an in-progress expiry, even with %s, so a dead delivery never blocks the retry",
    async (_, remaining) => {
      // Act
      await ledger(remaining).once(EVENT_ID, async () => undefined);

      // Assess
      const expiry = Number(dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.in_progress_expiration?.N);
      expect(expiry).toBeGreaterThan(Date.now() - 1_000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    },
  );
});
