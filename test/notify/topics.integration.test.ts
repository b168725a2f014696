import { createRequire } from "node:module";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import chatbotSchema from "../../schema/chatbot-custom-notification.json";
import { TopicPublisher } from "../../src/adapters/topic-publisher";
import type { JobStatusEvent } from "../../src/domain/event";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { ChatChannel } from "../../src/notify/channels/chat";
import { EmailChannel } from "../../src/notify/channels/email";
import { notifyChannel } from "../../src/notify/notify-channel";
import { type LocalPeer, startFauxqs } from "../../tools/local-stack/peers";
import { CASES, WARNING_CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { RecordingLogger } from "../support/recording-logger";

/**
 * The email and chat use cases against a real SNS/SQS protocol peer (fauxqs on 127.0.0.1) with the real SDK
 * clients. SQS queues stand in for the email address and for Amazon Q Developer: they receive exactly what SNS
 * would hand to those subscribers, and a filter policy on the subscription shows which messages get through.
 */
let fauxqs: LocalPeer;
let sns: SNSClient;
let sqs: SQSClient;

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const failed = CASES["failed-long-message"] as JobStatusEvent;
const inProgressToStopped = CASES.stopped as JobStatusEvent;
const firstSeen = CASES["first-seen"] as JobStatusEvent;

beforeAll(async () => {
  // Listens on 127.0.0.1 only (fauxqs' own startFauxqs would listen on every interface).
  fauxqs = await startFauxqs();
  const endpoint = fauxqs.endpoint;
  sns = new SNSClient({ endpoint, region: "us-east-1", credentials });
  sqs = new SQSClient({ endpoint, region: "us-east-1", credentials });
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await fauxqs?.stop();
});

/** A topic with one raw-delivery queue subscribed, optionally behind a filter policy. */
async function topicWithQueue(name: string, filterPolicy?: object): Promise<{ topicArn: string; queueUrl: string }> {
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (!topicArn) throw new Error("fauxqs did not create the topic");
  return { topicArn, queueUrl: await subscribeQueue(topicArn, `${name}-subscriber`, filterPolicy) };
}

/** One more raw-delivery queue on a topic, optionally behind a filter policy. */
async function subscribeQueue(topicArn: string, name: string, filterPolicy?: object): Promise<string> {
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!queueUrl) throw new Error("fauxqs did not create the queue");
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: Attributes?.QueueArn,
      Attributes: {
        RawMessageDelivery: "true",
        ...(filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy) } : {}),
      },
    }),
  );
  return queueUrl;
}

/**
 * The email subscription's filter policy exactly as `serverless package` builds it (serverless/params.js), for
 * the given params; every other param at its default.
 */
async function deployedEmailFilterPolicy(params: Record<string, string> = {}): Promise<object> {
  const checkedParams = createRequire(import.meta.url)("../../serverless/params.js") as (options: {
    resolveVariable: (name: string) => Promise<unknown>;
  }) => Promise<{ checked: { emailFilterPolicy: object } }>;
  const resolveVariable = async (variable: string): Promise<unknown> => {
    const param = /^param:(\w+), null$/.exec(variable)?.[1];
    if (param) return params[param] ?? null;
    return variable.startsWith("opt:region") ? "us-east-1" : null;
  };
  return (await checkedParams({ resolveVariable })).checked.emailFilterPolicy;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ["All"],
    }),
  );
  return Messages;
}

describe("people channels over real SNS and SQS protocols (fauxqs)", () => {
  it("delivers a readable email for a status the filter policy selects and drops one it does not", async () => {
    // Prepare
    const { topicArn, queueUrl } = await topicWithQueue("notifier-email", {
      status: ["Failed", "Expired", "PartiallyCompleted"],
    });
    const channel = new EmailChannel(new TopicPublisher(sns, topicArn));
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(inProgressToStopped)), { channel, logger });
    const messages = await receiveAll(queueUrl);

    // Assess
    expect(messages).toHaveLength(1);
    const [email] = messages;
    expect(email?.Body).toMatch(/^ERROR: Bedrock batch job nightly-summaries-2024-08-28 is now Failed/);
    expect(email?.Body).toContain("Failure reason:\n    Input validation failed.");
    expect(email?.Body).toContain(
      "https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1#/batch-inference",
    );
    expect(email?.MessageAttributes?.status?.StringValue).toBe("Failed");
    expect(email?.MessageAttributes?.severity?.StringValue).toBe("error");
  });

  it("lets a filter policy on accountId, region and severity pick one scope's failures, labelled with its alias", async () => {
    // Prepare: the README's example, "only the prod account's failures".
    const { topicArn, queueUrl } = await topicWithQueue("notifier-email-prod", {
      accountId: ["123456789012"],
      region: ["us-east-1"],
      severity: ["error"],
    });
    const staging: JobStatusEvent = {
      ...failed,
      eventId: "00000000-0000-5000-a000-000000000001",
      job: {
        ...failed.job,
        jobArn: "arn:aws:bedrock:us-east-1:210987654321:model-invocation-job/abcdefghwxyz",
        accountId: "210987654321",
      },
    };
    const accountAliases = new Map([
      ["123456789012", "prod"],
      ["210987654321", "staging"],
    ]);
    const channel = new EmailChannel(new TopicPublisher(sns, topicArn), { accountAliases });
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(staging)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(inProgressToStopped)), { channel, logger });
    const messages = await receiveAll(queueUrl);

    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Body).toContain("Account:     prod (123456789012)\nRegion:      us-east-1\n");
    expect(messages[0]?.MessageAttributes?.accountId?.StringValue).toBe("123456789012");
    expect(messages[0]?.MessageAttributes?.region?.StringValue).toBe("us-east-1");
  });

  it("delivers the Amazon Q Developer custom notification JSON unchanged to a chat subscriber", async () => {
    // Prepare
    const { topicArn, queueUrl } = await topicWithQueue("notifier-chat", {
      previousStatus: [{ "anything-but": "none" }],
    });
    const channel = new ChatChannel(new TopicPublisher(sns, topicArn));
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(firstSeen)), { channel, logger });
    const messages = await receiveAll(queueUrl);

    // Assess
    expect(messages).toHaveLength(1);
    const notification = JSON.parse(messages[0]?.Body ?? "{}");
    expect(new Ajv2020({ strict: false }).validate(chatbotSchema, notification)).toBe(true);
    expect(notification).toMatchObject({
      version: "1.0",
      source: "custom",
      id: failed.eventId,
      content: { textType: "client-markdown" },
      metadata: { threadId: failed.job.jobArn, relatedResources: [failed.job.jobArn] },
    });
    expect(notification.content.title).toContain("[ERROR]");
  });

  it("lets a warning through the deployed email filter policy, and not through a subscription on status alone", async () => {
    // Prepare: the deployed email subscription, and one made before warnings existed (statuses only)
    const warning = WARNING_CASES["warning-high-error-rate"] as JobWarningEvent;
    const { topicArn, queueUrl: emailQueue } = await topicWithQueue(
      "notifier-email-warnings",
      await deployedEmailFilterPolicy(),
    );
    const statusOnlyQueue = await subscribeQueue(topicArn, "notifier-email-status-only", {
      status: ["Failed", "Expired", "PartiallyCompleted", "Stopped", "Completed"],
    });
    const channel = new EmailChannel(new TopicPublisher(sns, topicArn));
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(warning)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(firstSeen)), { channel, logger });
    const emailed = await receiveAll(emailQueue);
    const statusOnly = await receiveAll(statusOnlyQueue);

    // Assess: the warning and the failure reach the email; the first sighting (Submitted) reaches neither
    expect(emailed.map((message) => message.MessageAttributes?.eventType?.StringValue).sort()).toEqual([
      "JobStatusChanged",
      "JobWarning",
    ]);
    const mail = emailed.find((message) => message.MessageAttributes?.eventType?.StringValue === "JobWarning");
    expect(mail?.Body).toMatch(/^Early warning: HighErrorRate for Bedrock batch job nightly-summaries-2024-08-28/);
    expect(mail?.MessageAttributes?.warningKind?.StringValue).toBe("HighErrorRate");
    expect(mail?.MessageAttributes?.status).toBeUndefined();
    expect(statusOnly.map((message) => message.MessageAttributes?.eventType?.StringValue)).toEqual([
      "JobStatusChanged",
    ]);
  });

  it("keeps warnings out of the email when emailWarnings=false, and still delivers the statuses asked for", async () => {
    // Prepare
    const warning = WARNING_CASES["warning-no-progress"] as JobWarningEvent;
    const { topicArn, queueUrl } = await topicWithQueue(
      "notifier-email-no-warnings",
      await deployedEmailFilterPolicy({ emailWarnings: "false", emailStatuses: "Failed" }),
    );
    const channel = new EmailChannel(new TopicPublisher(sns, topicArn));
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(warning)), { channel, logger });
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });
    const messages = await receiveAll(queueUrl);

    // Assess
    expect(messages.map((message) => message.MessageAttributes?.status?.StringValue)).toEqual(["Failed"]);
  });
});
