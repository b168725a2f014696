import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TopicPublisher } from "../../src/adapters/topic-publisher";
import { parseChatConfig } from "../../src/config/channel-config";
import type { NotifierEvent } from "../../src/domain/notifier-event";
import { ChatChannel } from "../../src/notify/channels/chat";
import { notifyChannel } from "../../src/notify/notify-channel";
import { RoutedChannel } from "../../src/notify/routed-channel";
import { type LocalPeer, startFauxqs } from "../../tools/local-stack/peers";
import { CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { RecordingLogger } from "../support/recording-logger";

/**
 * Chat routes: Amazon Q subscribes to a topic itself, so each chat route has a topic of its own and the chat
 * function publishes each event to every matching route's topic (CHAT_ROUTES, as serverless/routes.js writes it).
 * Two route topics on fauxqs, each with a raw-delivery queue standing in for Amazon Q: each receives only its events.
 */
let fauxqs: LocalPeer;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  sns = new SNSClient({ endpoint: fauxqs.endpoint, region: "us-east-1", credentials });
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: "us-east-1", credentials });
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await fauxqs?.stop();
});

/** A topic with one raw-delivery queue subscribed, as Amazon Q would be: no filter policy. */
async function topicWithSubscriber(name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: "sqs",
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  return { topicArn: String(TopicArn), queueUrl: String(QueueUrl) };
}

async function received(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => String(message.Body)));
  }
}

describe("a chat function with chat routes", () => {
  it("publishes each event to the topics of the routes whose filters match it, so each subscriber gets only its own", async () => {
    // Prepare: the shared chat topic, and one topic per route; the function configured as at cold start.
    const shared = await topicWithSubscriber("chat-shared");
    const failures = await topicWithSubscriber("chat-route-failures");
    const finished = await topicWithSubscriber("chat-route-finished");
    const config = parseChatConfig({
      CHAT_TOPIC_ARN: shared.topicArn,
      CHAT_ROUTES: JSON.stringify([
        { name: "failures", target: failures.topicArn, filter: { statuses: ["Failed", "Expired"] } },
        {
          name: "finished",
          target: finished.topicArn,
          filter: { eventTypes: ["transition"], statuses: ["Completed", "Failed"] },
        },
      ]),
      DELIVERY_TABLE: "deliveries",
    });
    const logger = new RecordingLogger();
    const channel = new RoutedChannel(
      "chat",
      (config.routes ?? []).map((route) => ({
        name: route.name,
        filter: route.filter,
        channel: new ChatChannel(new TopicPublisher(sns, route.target)),
      })),
      logger,
    );
    const events = [CASES.failed, CASES.completed, CASES.expired, CASES.stopped] as NotifierEvent[];

    // Act
    for (const event of events) await notifyChannel(snsEventOf(JSON.stringify(event)), { channel, logger });

    // Assess: each body is an Amazon Q custom notification whose id is the event's id.
    const ids = async (queueUrl: string) =>
      (await received(queueUrl)).map((body) => String(JSON.parse(body).id)).sort();
    const idsOf = (...chosen: unknown[]) => chosen.map((event) => (event as NotifierEvent).eventId).sort();
    expect(await ids(failures.queueUrl)).toEqual(idsOf(CASES.failed, CASES.expired));
    expect(await ids(finished.queueUrl)).toEqual(idsOf(CASES.failed, CASES.completed));
    // Nothing to the shared chat topic, and the stopped job matched no route.
    expect(await received(shared.queueUrl)).toEqual([]);
    expect(logger.entries.some((entry) => entry.message === "No route matches the event")).toBe(true);
  });
});
