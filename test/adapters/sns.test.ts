import {
  AuthorizationErrorException,
  NotFoundException,
  PublishBatchCommand,
  SNSClient,
  ThrottledException,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { batches, SnsPublisher } from "../../src/adapters/sns";
import { messageBytes, type OutboundMessage, SNS_MAX_MESSAGE_BYTES } from "../../src/domain/message";
import { ResourceMissingError } from "../../src/errors";
import { publishAll } from "../support/fakes";

const snsMock = mockClient(SNSClient);
const TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-status";
const $metadata = {};

const message = (id: string, body = `{"eventId":"${id}"}`): OutboundMessage => ({
  id,
  subject: `Bedrock batch job ${id}: InProgress -> Completed`,
  body,
  attributes: { status: "Completed", previousStatus: "InProgress", severity: "info" },
});

const messages = (count: number): OutboundMessage[] =>
  Array.from({ length: count }, (_, index) => message(`id-${String(index).padStart(2, "0")}`));

/** SNS accepts every entry of every batch. */
const acceptAll = (): void => {
  snsMock.on(PublishBatchCommand).callsFake((input) => ({
    Successful: input.PublishBatchRequestEntries.map((entry: { Id: string }) => ({
      Id: entry.Id,
      MessageId: `m-${entry.Id}`,
    })),
    Failed: [],
  }));
};

const batchInputs = () => snsMock.commandCalls(PublishBatchCommand).map((call) => call.args[0].input);

describe("SnsPublisher", () => {
  let publisher: SnsPublisher;

  beforeEach(() => {
    snsMock.reset();
    publisher = new SnsPublisher(new SNSClient({ region: "us-east-1" }), TOPIC);
  });

  it("publishes a batch whose entries carry the event id, subject, body and String attributes", async () => {
    // Prepare
    acceptAll();
    const outbound = message("3f1c-0001");

    // Act
    const outcomes = await publishAll(publisher, [outbound]);

    // Assess
    expect(outcomes).toEqual([{ id: "3f1c-0001", ok: true }]);
    expect(batchInputs()).toEqual([
      {
        TopicArn: TOPIC,
        PublishBatchRequestEntries: [
          {
            Id: "3f1c-0001",
            Subject: outbound.subject,
            Message: outbound.body,
            MessageAttributes: {
              status: { DataType: "String", StringValue: "Completed" },
              previousStatus: { DataType: "String", StringValue: "InProgress" },
              severity: { DataType: "String", StringValue: "info" },
            },
          },
        ],
      },
    ]);
  });

  it("sends 23 messages in 3 calls of at most 10 entries, in order", async () => {
    // Prepare
    acceptAll();
    const outbound = messages(23);

    // Act
    const outcomes = await publishAll(publisher, outbound);

    // Assess
    const sizes = batchInputs().map((input) => input.PublishBatchRequestEntries?.length);
    expect(sizes).toEqual([10, 10, 3]);
    const ids = batchInputs().flatMap((input) => input.PublishBatchRequestEntries?.map((entry) => entry.Id));
    expect(ids).toEqual(outbound.map((entry) => entry.id));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(outcomes.map((outcome) => outcome.id)).toEqual(ids);
  });

  it("makes no call for no messages", async () => {
    // Act
    const outcomes = await publishAll(publisher, []);

    // Assess
    expect(outcomes).toEqual([]);
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it("splits batches so no call carries more than 256 KB of messages", async () => {
    // Prepare: 100 KB bodies, so at most two per call.
    acceptAll();
    const outbound = ["a", "b", "c", "d", "e"].map((id) => message(id, "x".repeat(100 * 1024)));

    // Act
    const outcomes = await publishAll(publisher, outbound);

    // Assess
    expect(batchInputs().map((input) => input.PublishBatchRequestEntries?.map((entry) => entry.Id))).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e"],
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true, true]);
  });

  it("reports entries SNS listed in Failed[] inside an HTTP 200 as not delivered, the rest as delivered", async () => {
    // Prepare
    snsMock.on(PublishBatchCommand).resolves({
      Successful: [
        { Id: "a", MessageId: "m-a" },
        { Id: "c", MessageId: "m-c" },
      ],
      Failed: [{ Id: "b", Code: "InternalError", Message: "try again", SenderFault: false }],
    });

    // Act
    const outcomes = await publishAll(publisher, [message("a"), message("b"), message("c")]);

    // Assess
    expect(outcomes).toEqual([
      { id: "a", ok: true },
      { id: "b", ok: false, error: "InternalError: try again" },
      { id: "c", ok: true },
    ]);
  });

  it("treats an entry in neither Successful nor Failed as not delivered", async () => {
    // Prepare
    snsMock.on(PublishBatchCommand).resolves({ Successful: [{ Id: "a", MessageId: "m-a" }] });

    // Act
    const outcomes = await publishAll(publisher, [message("a"), message("b")]);

    // Assess
    expect(outcomes).toEqual([
      { id: "a", ok: true },
      { id: "b", ok: false, error: "not confirmed by SNS" },
    ]);
  });

  it("reports every entry of a call that threw (throttling) as not delivered, and still sends the next batch", async () => {
    // Prepare
    snsMock
      .on(PublishBatchCommand)
      .rejectsOnce(new ThrottledException({ message: "Rate exceeded", $metadata }))
      .callsFake((input) => ({
        Successful: input.PublishBatchRequestEntries.map((entry: { Id: string }) => ({ Id: entry.Id, MessageId: "m" })),
      }));

    // Act
    const outcomes = await publishAll(publisher, messages(12));

    // Assess
    expect(outcomes.slice(0, 10).every((outcome) => !outcome.ok)).toBe(true);
    expect(outcomes[0]?.error).toBe("ThrottledException: Rate exceeded");
    expect(outcomes.slice(10).every((outcome) => outcome.ok)).toBe(true);
  });

  it('turns NotFoundException "Topic does not exist" into a ResourceMissingError naming TOPIC_ARN', async () => {
    // Prepare
    const notFound = new NotFoundException({ message: "Topic does not exist", $metadata });
    snsMock.on(PublishBatchCommand).rejects(notFound);

    // Act
    const error = await publishAll(publisher, [message("a")]).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ResourceMissingError);
    expect((error as Error).message).toContain(TOPIC);
    expect((error as Error).message).toContain("TOPIC_ARN");
    expect((error as Error).cause).toBe(notFound);
  });

  it("lets an authorization error through: the role is wrong, retrying next poll will not help", async () => {
    // Prepare
    const denied = new AuthorizationErrorException({ message: "not authorized to perform SNS:Publish", $metadata });
    snsMock.on(PublishBatchCommand).rejects(denied);

    // Act / Assess
    await expect(publishAll(publisher, [message("a")])).rejects.toBe(denied);
  });
});

describe("batches", () => {
  it("groups at most 10 messages per batch, keeping order", () => {
    // Act
    const result = batches(messages(21));

    // Assess
    expect(result.map((batch) => batch.length)).toEqual([10, 10, 1]);
    expect(result.flat().map((entry) => entry.id)).toEqual(messages(21).map((entry) => entry.id));
  });

  it("starts a new batch before the total would pass 256 KB", () => {
    // Prepare
    const big = (id: string) => message(id, "x".repeat(90 * 1024));

    // Act
    const result = batches([big("a"), big("b"), big("c"), message("d"), big("e")]);

    // Assess
    for (const batch of result) {
      const total = batch.reduce((sum, entry) => sum + messageBytes(entry), 0);
      expect(total).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    }
    expect(result.map((batch) => batch.map((entry) => entry.id))).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
    ]);
  });

  it("fills a batch exactly up to the limit", () => {
    // Prepare: two messages that together take exactly 256 KB.
    const attributesBytes = messageBytes({ body: "", attributes: message("a").attributes });
    const half = SNS_MAX_MESSAGE_BYTES / 2 - attributesBytes;
    const result = batches([message("a", "x".repeat(half)), message("b", "x".repeat(half)), message("c")]);

    // Assess
    expect(result.map((batch) => batch.map((entry) => entry.id))).toEqual([["a", "b"], ["c"]]);
  });

  it("returns no batch for no messages", () => {
    expect(batches([])).toEqual([]);
  });
});
