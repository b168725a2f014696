import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { SqsScopeQueue } from "../../src/adapters/scope-queue";
import { scopesOf } from "../../src/domain/scope";
import { type ScopeMessage, scopeMessageBody } from "../../src/domain/scope-message";
import { T0 } from "../support/factories";

const sqsMock = mockClient(SQSClient);
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/bedrock-job-notifier-dev-scopes";

/** `count` distinct scope messages of one round: accounts 100000000000, 100000000001, ... in us-east-1. */
const messages = (count: number): ScopeMessage[] =>
  scopesOf(
    Array.from({ length: count }, (_, index) => String(100000000000 + index)),
    ["us-east-1"],
  ).map((scope) => ({ scope, dispatchedAt: T0 }));

const batchInputs = () => sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);

/** SQS answers each request, refusing the entries whose body `refuse` picks. */
function answer(refuse: (body: string, request: number) => boolean = () => false): void {
  let request = 0;
  sqsMock.on(SendMessageBatchCommand).callsFake((input) => {
    request++;
    const entries = input.Entries as Array<{ Id: string; MessageBody: string }>;
    const refused = entries.filter((entry) => refuse(entry.MessageBody, request));
    return {
      Successful: entries
        .filter((entry) => !refused.includes(entry))
        .map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: "x" })),
      Failed: refused.map((entry) => ({ Id: entry.Id, SenderFault: false, Code: "InternalError" })),
    };
  });
}

describe("SqsScopeQueue", () => {
  let queue: SqsScopeQueue;

  beforeEach(() => {
    sqsMock.reset();
    queue = new SqsScopeQueue(new SQSClient({ region: "us-east-1" }), QUEUE_URL);
  });

  it("sends 25 messages in 3 requests of 10, 10 and 5, each entry the message's body", async () => {
    // Prepare
    answer();
    const sent = messages(25);

    // Act
    const failed = await queue.enqueue(sent);

    // Assess
    expect(failed).toEqual([]);
    const inputs = batchInputs();
    expect(inputs.map((input) => input.Entries?.length)).toEqual([10, 10, 5]);
    expect(inputs.every((input) => input.QueueUrl === QUEUE_URL)).toBe(true);
    expect(inputs.flatMap((input) => input.Entries?.map((entry) => entry.MessageBody))).toEqual(
      sent.map(scopeMessageBody),
    );
    for (const input of inputs) {
      const ids = input.Entries?.map((entry) => entry.Id) ?? [];
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("sends nothing for no messages", async () => {
    // Prepare
    answer();

    // Act
    const failed = await queue.enqueue([]);

    // Assess
    expect(failed).toEqual([]);
    expect(batchInputs()).toEqual([]);
  });

  it("sends again only the entries SQS refused", async () => {
    // Prepare
    const sent = messages(10);
    const flaky = new Set([scopeMessageBody(sent[2] as ScopeMessage), scopeMessageBody(sent[7] as ScopeMessage)]);
    answer((body, request) => request === 1 && flaky.has(body));

    // Act
    const failed = await queue.enqueue(sent);

    // Assess
    expect(failed).toEqual([]);
    const inputs = batchInputs();
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.Entries?.map((entry) => entry.MessageBody)).toEqual([...flaky]);
  });

  it("tries a refused entry 3 times in all, then returns it unsent", async () => {
    // Prepare
    const sent = messages(12);
    const doomed = sent[11] as ScopeMessage;
    answer((body) => body === scopeMessageBody(doomed));

    // Act
    const failed = await queue.enqueue(sent);

    // Assess
    expect(failed).toEqual([doomed]);
    const withDoomed = batchInputs().filter((input) =>
      input.Entries?.some((entry) => entry.MessageBody === scopeMessageBody(doomed)),
    );
    expect(withDoomed).toHaveLength(3);
    expect(batchInputs()).toHaveLength(4);
  });

  it("returns every message still refused, from every batch", async () => {
    // Prepare
    const sent = messages(25);
    const doomed = [sent[0], sent[15], sent[24]] as ScopeMessage[];
    const bodies = new Set(doomed.map(scopeMessageBody));
    answer((body) => bodies.has(body));

    // Act
    const failed = await queue.enqueue(sent);

    // Assess
    expect(failed).toEqual(doomed);
    expect(batchInputs()).toHaveLength(3 + 3 * 2);
  });

  it("returns a message refused twice and sent on the third attempt as sent", async () => {
    // Prepare
    const sent = messages(3);
    const late = scopeMessageBody(sent[1] as ScopeMessage);
    answer((body, request) => request < 3 && body === late);

    // Act
    const failed = await queue.enqueue(sent);

    // Assess
    expect(failed).toEqual([]);
    expect(batchInputs()).toHaveLength(3);
  });
});
