import { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SnsPublisher } from "../../../src/adapters/sns";
import type { OutboundMessage } from "../../../src/domain/message";
import { FaultController, NO_FAULTS } from "../../../tools/chaos/faults";
import { batchEntryIds, withFailedEntries, withoutEntries } from "../../../tools/chaos/sns-wire";
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalStack, startLocalStack } from "../../../tools/local-stack/stack";
import { publishAll } from "../../support/fakes";

const message = (id: string): OutboundMessage => ({
  id,
  subject: `subject ${id}`,
  body: JSON.stringify({ id }),
  attributes: { status: "Completed" },
});

const form = (...ids: string[]): Buffer =>
  Buffer.from(
    [
      "Action=PublishBatch",
      "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Atopic",
      ...ids.flatMap((id, index) => [
        `PublishBatchRequestEntries.member.${index + 1}.Id=${id}`,
        `PublishBatchRequestEntries.member.${index + 1}.Message=body-${id}`,
      ]),
    ].join("&"),
  );

describe("PublishBatch rewriting", () => {
  it("removes chosen entries and renumbers the others from 1", () => {
    // Act
    const rewritten = new URLSearchParams(withoutEntries(form("a", "b", "c"), new Set(["a"])).toString());

    // Assess
    expect(rewritten.get("Action")).toBe("PublishBatch");
    expect(rewritten.get("PublishBatchRequestEntries.member.1.Id")).toBe("b");
    expect(rewritten.get("PublishBatchRequestEntries.member.2.Message")).toBe("body-c");
    expect(rewritten.has("PublishBatchRequestEntries.member.3.Id")).toBe(false);
  });

  it("reads the entry ids in member order", () => {
    // Act
    const ids = batchEntryIds(form("x", "y", "z"));

    // Assess
    expect(ids).toEqual(["x", "y", "z"]);
  });

  it("adds failed entries to an answer whose Failed list is empty", () => {
    // Prepare
    const xml = "<PublishBatchResponse><PublishBatchResult><Successful/><Failed></Failed></PublishBatchResult>";

    // Act
    const answer = withFailedEntries(xml, [
      { id: "a&b", code: "InternalError", message: "<oops>", senderFault: false },
    ]);

    // Assess
    expect(answer).toContain(
      "<Failed><member><Id>a&amp;b</Id><Code>InternalError</Code><Message>&lt;oops&gt;</Message>" +
        "<SenderFault>false</SenderFault></member></Failed>",
    );
  });
});

describe("SNS faults through the proxy, as the SNS client and the publisher see them", () => {
  let stack: LocalStack;
  let publisher: SnsPublisher;
  let client: SNSClient;

  beforeAll(async () => {
    stack = await startLocalStack({ seed: 3 });
    client = new SNSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: stack.snsProxy.endpoint });
    publisher = new SnsPublisher(client, stack.topicArn);
  });

  beforeEach(async () => {
    stack.snsProxy.setHook(undefined);
    stack.snsProxy.reset();
    await stack.drain(stack.allEventsQueueUrl);
  });

  afterAll(async () => {
    client?.destroy();
    await stack?.stop();
  });

  it("reports entries failed inside an HTTP 200 as failed, and delivers only the others", async () => {
    // Prepare
    stack.snsProxy.setHook((request) => {
      const failed = [{ id: "b", code: "InternalError", message: "try again", senderFault: false }];
      return {
        kind: "forward",
        body: withoutEntries(request.body, new Set(["b"])),
        respond: (response) => ({
          ...response,
          body: Buffer.from(withFailedEntries(response.body.toString("utf8"), failed)),
        }),
      };
    });

    // Act
    const outcomes = await publishAll(publisher, [message("a"), message("b"), message("c")]);

    // Assess
    expect(outcomes).toEqual([
      { id: "a", ok: true },
      { id: "b", ok: false, error: "InternalError: try again" },
      { id: "c", ok: true },
    ]);
    const bodies = (await stack.drain(stack.allEventsQueueUrl)).map((delivered) => JSON.parse(delivered.body).id);
    expect(bodies.sort()).toEqual(["a", "c"]);
  });

  it("answers 200 with every entry in Failed when all of them fail, and delivers nothing", async () => {
    // Prepare
    const faults = new FaultController(stack, 1);
    faults.apply({ ...NO_FAULTS, snsEntryFailureRate: 1, snsCallFailureRate: 0, dynamodbErrorRate: 0 });

    // Act
    const outcomes = await publishAll(publisher, [message("a"), message("b")]);

    // Assess
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, false]);
    expect(outcomes[0]?.error).toMatch(/^InternalError: /);
    expect(faults.injected.snsEntryFailures).toBe(2);
    expect(await stack.drain(stack.allEventsQueueUrl)).toEqual([]);
  });

  it("reports every entry as failed when the whole call keeps failing, after the SDK's retries", async () => {
    // Prepare
    const faults = new FaultController(stack, 1);
    faults.apply({ ...NO_FAULTS, snsEntryFailureRate: 0, snsCallFailureRate: 1, dynamodbErrorRate: 0 });

    // Act
    const outcomes = await publishAll(publisher, [message("a")]);

    // Assess
    expect(outcomes).toEqual([{ id: "a", ok: false, error: expect.stringMatching(/^(InternalError|Throttled)/) }]);
    expect(stack.snsProxy.counts().PublishBatch).toBe(3);
    expect(faults.injected.snsCallFailures).toBe(3);
    expect(await stack.drain(stack.allEventsQueueUrl)).toEqual([]);
  });
});
