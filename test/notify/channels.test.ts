import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import Ajv2020 from "ajv/dist/2020";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import chatbotSchema from "../../schema/chatbot-custom-notification.json";
import { EventBridgeBus } from "../../src/adapters/eventbridge";
import { SecureParameters } from "../../src/adapters/secure-parameter";
import { TopicPublisher } from "../../src/adapters/topic-publisher";
import { WebhookClient } from "../../src/adapters/webhook";
import type { JobStatusEvent } from "../../src/domain/event";
import { ChannelDeliveryError } from "../../src/errors";
import { ChatChannel } from "../../src/notify/channels/chat";
import { EmailChannel } from "../../src/notify/channels/email";
import { EventBridgeChannel } from "../../src/notify/channels/eventbridge";
import { WebhookChannel } from "../../src/notify/channels/webhook";
import { notifyChannel } from "../../src/notify/notify-channel";
import { CASES } from "../domain/render/fixtures";
import { snsEventOf } from "../support/factories";
import { RecordingLogger } from "../support/recording-logger";

const EMAIL_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";
const CHAT_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-chat";
const failed = CASES["failed-long-message"] as JobStatusEvent;
const body = JSON.stringify(failed);

const expectedAttributes = {
  status: { DataType: "String", StringValue: "Failed" },
  previousStatus: { DataType: "String", StringValue: "InProgress" },
  jobName: { DataType: "String", StringValue: failed.job.jobName },
  modelId: { DataType: "String", StringValue: failed.job.modelId },
  severity: { DataType: "String", StringValue: "error" },
  eventType: { DataType: "String", StringValue: "JobStatusChanged" },
};

const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
const eventBridge = mockClient(EventBridgeClient);

afterEach(() => {
  sns.reset();
  ssm.reset();
  eventBridge.reset();
});

describe("email use case", () => {
  it("publishes a readable plain-text email with subject and the events topic's attributes", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new EmailChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), EMAIL_TOPIC));

    // Act
    await notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(EMAIL_TOPIC);
    expect(input?.Subject).toBe("[ERROR] Bedrock batch job nightly-summaries-2024-08-28: InProgress -> Failed");
    expect(input?.Message).toContain("Failure reason:\n    Input validation failed.");
    expect(input?.Message).not.toContain('"schemaVersion"');
    expect(input?.MessageAttributes).toEqual(expectedAttributes);
  });

  it("throws when SNS refuses the publish, so the invocation is retried", async () => {
    // Prepare
    sns.on(PublishCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottledException" }));
    const channel = new EmailChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), EMAIL_TOPIC));

    // Act
    const run = notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ChannelDeliveryError);
  });
});

describe("chat use case", () => {
  it("publishes an Amazon Q Developer custom notification, threaded by job, with the same attributes", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new ChatChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), CHAT_TOPIC));

    // Act
    await notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(CHAT_TOPIC);
    expect(input?.Subject).toBeUndefined();
    expect(input?.MessageStructure).toBeUndefined();
    const notification = JSON.parse(input?.Message ?? "{}");
    expect(new Ajv2020({ strict: false }).validate(chatbotSchema, notification)).toBe(true);
    expect(notification.metadata.threadId).toBe(failed.job.jobArn);
    expect(input?.MessageAttributes).toEqual(expectedAttributes);
  });
});

describe("webhook use case", () => {
  it("reads the URL from the SecureString parameter with decryption and posts the Slack message to it", async () => {
    // Prepare
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Type: "SecureString", Value: "https://hooks.slack.com/services/T/B/secret" } });
    const posted: Array<{ url: string; body: string }> = [];
    const client = new WebhookClient({
      fetch: async (url, init) => {
        posted.push({ url: String(url), body: String(init?.body) });
        return new Response("ok", { status: 200 });
      },
    });
    const secrets = new SecureParameters(new SSMClient({ region: "us-east-1" }));
    const channel = new WebhookChannel("slack", "/bedrock-job-notifier/slack-webhook-url", secrets, client);

    // Act
    await notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: "/bedrock-job-notifier/slack-webhook-url",
      WithDecryption: true,
    });
    expect(posted[0]?.url).toBe("https://hooks.slack.com/services/T/B/secret");
    expect(JSON.parse(posted[0]?.body ?? "{}").blocks[0].type).toBe("header");
  });

  it("posts a Teams Adaptive Card and never logs the URL when the webhook refuses it", async () => {
    // Prepare
    const secretUrl = "https://prod-00.westus.logic.azure.com/workflows/abc?sig=SECRET";
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: "SecureString", Value: secretUrl } });
    const client = new WebhookClient({ fetch: async () => new Response("Bad payload", { status: 400 }) });
    const channel = new WebhookChannel(
      "teams",
      "/teams-url",
      new SecureParameters(new SSMClient({ region: "us-east-1" })),
      client,
    );
    const logger = new RecordingLogger();

    // Act
    const run = notifyChannel(snsEventOf(body), { channel, logger });

    // Assess
    await expect(run).rejects.toThrow("could not be delivered to teams");
    expect(logger.text()).toContain("HTTP 400 (Bad payload)");
    expect(logger.text()).not.toContain("SECRET");
  });
});

describe("webhook allow-list", () => {
  it.each([
    ["http://hooks.slack.com/services/T/B/SECRET", "its scheme is http:"],
    ["https://hooks.slack.com.evil.example/services/T/B/SECRET", "its host hooks.slack.com.evil.example"],
    ["https://user@hooks.slack.com/services/T/B/SECRET", "it carries user info"],
    ["https://hooks.slack.com:8443/services/T/B/SECRET", "it names port 8443"],
  ])("refuses %s, posts nothing, fails the delivery and never quotes the secret", async (url, reason) => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: "SecureString", Value: url } });
    let posts = 0;
    const client = new WebhookClient({
      fetch: async () => {
        posts++;
        return new Response("ok", { status: 200 });
      },
    });
    const channel = new WebhookChannel("slack", "/slack-url", new SecureParameters(new SSMClient({})), client);
    const logger = new RecordingLogger();

    // Act
    const run = notifyChannel(snsEventOf(body), { channel, logger });

    // Assess
    await expect(run).rejects.toThrow("could not be delivered to slack");
    expect(posts).toBe(0);
    expect(logger.text()).toContain("WebhookUrlRefusedError");
    expect(logger.text()).toContain(reason);
    expect(logger.text()).not.toContain("SECRET");
  });
});

describe("EventBridge use case", () => {
  it("puts the event unchanged as the detail, with the job ARN as resource", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const channel = new EventBridgeChannel(
      new EventBridgeBus(new EventBridgeClient({ region: "us-east-1" }), "bedrock-jobs"),
    );

    // Act
    await notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toEqual({
      EventBusName: "bedrock-jobs",
      Source: "bedrock-job-notifier",
      DetailType: "Bedrock Batch Job Status Change",
      Detail: body,
      Resources: [failed.job.jobArn],
      Time: new Date(failed.detectedAt),
    });
  });

  it("throws when EventBridge refuses the entry inside an HTTP 200 answer", async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try again" }] });
    const channel = new EventBridgeChannel(
      new EventBridgeBus(new EventBridgeClient({ region: "us-east-1" }), "bedrock-jobs"),
    );

    // Act
    const run = notifyChannel(snsEventOf(body), { channel, logger: new RecordingLogger() });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ChannelDeliveryError);
  });
});
