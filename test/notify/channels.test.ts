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
import type { DailyDigestEvent } from "../../src/domain/digest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { NotifierEvent } from "../../src/domain/notifier-event";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { ChannelDeliveryError } from "../../src/errors";
import { ChatChannel } from "../../src/notify/channels/chat";
import { EmailChannel } from "../../src/notify/channels/email";
import { EventBridgeChannel } from "../../src/notify/channels/eventbridge";
import { WebhookChannel } from "../../src/notify/channels/webhook";
import { notifyChannel } from "../../src/notify/notify-channel";
import { CASES, DIGEST_CASES, WARNING_CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { RecordingLogger } from "../support/recording-logger";

const EMAIL_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";
const CHAT_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-chat";
const failed = CASES["failed-long-message"] as JobStatusEvent;
const body = JSON.stringify(failed);
const warning = WARNING_CASES["warning-expiry-approaching"] as JobWarningEvent;
const warningBody = JSON.stringify(warning);

/** A warning's attributes: its type and kind, and no status, so a filter on status never selects it. */
const warningAttributes = {
  eventType: { DataType: "String", StringValue: "JobWarning" },
  warningKind: { DataType: "String", StringValue: "ExpiryApproaching" },
  jobName: { DataType: "String", StringValue: warning.job.jobName },
  modelId: { DataType: "String", StringValue: warning.job.modelId },
  severity: { DataType: "String", StringValue: "warning" },
  accountId: { DataType: "String", StringValue: "123456789012" },
  region: { DataType: "String", StringValue: "us-east-1" },
};

const expectedAttributes = {
  status: { DataType: "String", StringValue: "Failed" },
  previousStatus: { DataType: "String", StringValue: "InProgress" },
  jobName: { DataType: "String", StringValue: failed.job.jobName },
  modelId: { DataType: "String", StringValue: failed.job.modelId },
  severity: { DataType: "String", StringValue: "error" },
  eventType: { DataType: "String", StringValue: "JobStatusChanged" },
  accountId: { DataType: "String", StringValue: "123456789012" },
  region: { DataType: "String", StringValue: "us-east-1" },
};

/** As deployed with ACCOUNT_ALIASES=123456789012:prod,210987654321:staging. */
const ALIASES = {
  accountAliases: new Map([
    ["123456789012", "prod"],
    ["210987654321", "staging"],
  ]),
};
/** The same failure in an account that has no alias. */
const unaliased: JobStatusEvent = {
  ...failed,
  job: {
    ...failed.job,
    jobArn: "arn:aws:bedrock:eu-west-1:999999999999:model-invocation-job/abcdefghwxyz",
    accountId: "999999999999",
    region: "eu-west-1",
  },
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

/** Posts to a Slack or Teams webhook and returns the body it posted. */
async function postedTo(format: "slack" | "teams", event: NotifierEvent, options = {}): Promise<string> {
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Type: "SecureString",
      Value:
        format === "slack"
          ? "https://hooks.slack.com/services/T/B/secret"
          : "https://prod-00.westus.logic.azure.com/workflows/abc",
    },
  });
  const posted: string[] = [];
  const client = new WebhookClient({
    fetch: async (_url, init) => {
      posted.push(String(init?.body));
      return new Response("ok", { status: 200 });
    },
  });
  const secrets = new SecureParameters(new SSMClient({ region: "us-east-1" }));
  const channel = new WebhookChannel(format, `/${format}-url`, secrets, client, undefined, options);
  await notifyChannel(snsEventOf(JSON.stringify(event)), { channel, logger: new RecordingLogger() });
  return posted[0] ?? "";
}

/** Publishes with the email or chat channel and returns the message SNS was given. */
async function publishedBy(kind: "email" | "chat", event: NotifierEvent, options = {}): Promise<string> {
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  const topic = new TopicPublisher(new SNSClient({ region: "us-east-1" }), kind === "email" ? EMAIL_TOPIC : CHAT_TOPIC);
  const channel = kind === "email" ? new EmailChannel(topic, options) : new ChatChannel(topic, options);
  await notifyChannel(snsEventOf(JSON.stringify(event)), { channel, logger: new RecordingLogger() });
  return sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? "";
}

describe("every people channel says which account and region the job runs in", () => {
  it("labels the account with its alias in the email, next to the region, and leaves the subject alone", async () => {
    // Act
    const message = await publishedBy("email", failed, ALIASES);

    // Assess
    expect(message).toContain("Job:         nightly-summaries-2024-08-28\nAccount:     prod (123456789012)\n");
    expect(message).toContain("Region:      us-east-1\n");
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).not.toContain("prod");
  });

  it("labels the account with its alias in the Amazon Q Developer notification", async () => {
    // Act
    const notification = JSON.parse(await publishedBy("chat", failed, ALIASES));

    // Assess
    expect(notification.content.description).toContain("**Account** prod (123456789012) · **Region** us-east-1");
    // Custom actions keep reading the bare id.
    expect(notification.metadata.additionalContext).toMatchObject({ accountId: "123456789012", region: "us-east-1" });
  });

  it("labels the account with its alias in the Slack message", async () => {
    // Act
    const message = JSON.parse(await postedTo("slack", failed, ALIASES));

    // Assess
    expect(message.blocks[1].text.text).toContain("*Account* prod (123456789012)   *Region* us-east-1");
  });

  it("labels the account with its alias right under the job's name in the Teams card", async () => {
    // Act
    const message = JSON.parse(await postedTo("teams", failed, ALIASES));

    // Assess
    const body = message.attachments[0].content.body;
    expect(body[1].text).toBe("nightly-summaries-2024-08-28");
    expect(body[2]).toMatchObject({ type: "TextBlock", text: "prod (123456789012) · us-east-1", isSubtle: true });
  });

  it("shows the account id alone in every channel when the account has no alias", async () => {
    // Act
    const email = await publishedBy("email", unaliased, ALIASES);
    sns.reset();
    const chat = JSON.parse(await publishedBy("chat", unaliased, ALIASES));
    const slack = JSON.parse(await postedTo("slack", unaliased, ALIASES));
    ssm.reset();
    const teams = JSON.parse(await postedTo("teams", unaliased, ALIASES));

    // Assess
    expect(email).toContain("Account:     999999999999\nRegion:      eu-west-1\n");
    expect(chat.content.description).toContain("**Account** 999999999999 · **Region** eu-west-1");
    expect(slack.blocks[1].text.text).toContain("*Account* 999999999999   *Region* eu-west-1");
    expect(teams.attachments[0].content.body[2].text).toBe("999999999999 · eu-west-1");
    for (const text of [email, JSON.stringify(chat), JSON.stringify(slack), JSON.stringify(teams)]) {
      expect(text).not.toContain("(999999999999)");
      expect(text).not.toContain("prod");
    }
  });

  it("shows the account id alone when no aliases are configured at all", async () => {
    // Act
    const email = await publishedBy("email", failed);
    const slack = JSON.parse(await postedTo("slack", failed));

    // Assess
    expect(email).toContain("Account:     123456789012\nRegion:      us-east-1\n");
    expect(slack.blocks[1].text.text).toContain("*Account* 123456789012   *Region* us-east-1");
  });
});

describe("early warnings reach every channel", () => {
  it("emails a warning with its own subject and the JobWarning attributes the email filter policy selects", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new EmailChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), EMAIL_TOPIC));

    // Act
    const outcome = await notifyChannel(snsEventOf(warningBody), { channel, logger: new RecordingLogger() });

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe("[WARNING] Bedrock batch job nightly-summaries-2024-08-28: ExpiryApproaching");
    expect(input?.Message).toMatch(/^Early warning: ExpiryApproaching for Bedrock batch job /);
    expect(input?.MessageAttributes).toEqual(warningAttributes);
  });

  it("posts a warning to the chat topic in the job's thread, with the same attributes", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new ChatChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), CHAT_TOPIC));

    // Act
    await notifyChannel(snsEventOf(warningBody), { channel, logger: new RecordingLogger() });

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const notification = JSON.parse(input?.Message ?? "{}");
    expect(new Ajv2020({ strict: false }).validate(chatbotSchema, notification)).toBe(true);
    expect(notification.content.title).toContain("Early warning: ExpiryApproaching");
    expect(notification.metadata).toMatchObject({ threadId: warning.job.jobArn, eventType: "JobWarning" });
    expect(input?.MessageAttributes).toEqual(warningAttributes);
  });

  it("posts a warning to a Slack webhook", async () => {
    // Act
    const posted = await postedTo("slack", warning);

    // Assess
    expect(JSON.parse(posted || "{}").blocks[0].text.text).toBe("⚠️ Early warning: ExpiryApproaching");
  });

  it("puts a warning on the bus unchanged, under its own detail-type", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const channel = new EventBridgeChannel(
      new EventBridgeBus(new EventBridgeClient({ region: "us-east-1" }), "bedrock-jobs"),
    );

    // Act
    await notifyChannel(snsEventOf(warningBody), { channel, logger: new RecordingLogger() });

    // Assess
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toEqual({
      EventBusName: "bedrock-jobs",
      Source: "bedrock-job-notifier",
      DetailType: "Bedrock Batch Job Warning",
      Detail: warningBody,
      Resources: [warning.job.jobArn],
      Time: new Date(warning.detectedAt),
    });
  });
});

describe("the daily digest reaches every channel", () => {
  const digest = DIGEST_CASES.digest as DailyDigestEvent;
  const digestBody = JSON.stringify(digest);
  /** The digest's attributes: its type and severity only, so a filter on status or account never selects it. */
  const digestAttributes = {
    eventType: { DataType: "String", StringValue: "DailyDigest" },
    severity: { DataType: "String", StringValue: "error" },
  };

  it("emails the digest as plain text, with the attributes the email filter policy selects", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new EmailChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), EMAIL_TOPIC), ALIASES);

    // Act
    const outcome = await notifyChannel(snsEventOf(digestBody), { channel, logger: new RecordingLogger() });

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe("Bedrock batch jobs, daily digest 2024-08-29: 8 finished, 4 failed or expired");
    expect(input?.Message).toMatch(/^Bedrock batch jobs — daily digest 2024-08-29\n/);
    expect(input?.Message).toContain("== prod (123456789012) · us-east-1 ==");
    expect(input?.MessageAttributes).toEqual(digestAttributes);
  });

  it("posts the digest to the chat topic in its own thread", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const channel = new ChatChannel(new TopicPublisher(new SNSClient({ region: "us-east-1" }), CHAT_TOPIC));

    // Act
    await notifyChannel(snsEventOf(digestBody), { channel, logger: new RecordingLogger() });

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const notification = JSON.parse(input?.Message ?? "{}");
    expect(new Ajv2020({ strict: false }).validate(chatbotSchema, notification)).toBe(true);
    expect(notification.metadata).toMatchObject({ threadId: "daily-digest", eventType: "DailyDigest" });
    expect(input?.MessageAttributes).toEqual(digestAttributes);
  });

  it("posts the digest to a Teams webhook", async () => {
    // Act
    const posted = await postedTo("teams", digest);

    // Assess
    const card = JSON.parse(posted || "{}").attachments[0].content;
    expect(card.body[0].text).toBe("📊 Bedrock batch jobs — daily digest 2024-08-29");
  });

  it("puts the digest on the bus unchanged, under its own detail-type and with no job as resource", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const channel = new EventBridgeChannel(
      new EventBridgeBus(new EventBridgeClient({ region: "us-east-1" }), "bedrock-jobs"),
    );

    // Act
    await notifyChannel(snsEventOf(digestBody), { channel, logger: new RecordingLogger() });

    // Assess
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toEqual({
      EventBusName: "bedrock-jobs",
      Source: "bedrock-job-notifier",
      DetailType: "Bedrock Batch Jobs Daily Digest",
      Detail: digestBody,
      Resources: [],
      Time: new Date(digest.detectedAt),
    });
  });
});
