import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import chatbotSchema from "../../../schema/chatbot-custom-notification.json";
import eventSchema from "../../../schema/job-status-event.v1.json";
import { messageBytes, SNS_MAX_MESSAGE_BYTES } from "../../../src/domain/message";
import {
  CHATBOT_DESCRIPTION_MAX_CHARS,
  renderChatbotNotification,
  renderChatTopicMessage,
} from "../../../src/domain/render/chatbot";
import { renderEmail } from "../../../src/domain/render/email";
import { renderSlackMessage, SLACK_LIMITS, type SlackMessage } from "../../../src/domain/render/slack";
import { renderTeamsMessage, TEAMS_MAX_PAYLOAD_BYTES } from "../../../src/domain/render/teams";
import { busyDigest, CASES, DIGEST_CASES, wideDigest } from "../../../tools/samples/events";
import teamsSchema from "./schemas/teams-workflow-message.json";

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateChatbot = ajv.compile(chatbotSchema);
const validateTeams = ajv.compile(teamsSchema);
const validateEvent = ajv.compile(eventSchema);

/** Every Block Kit limit Slack enforces on what we send; returns the broken ones, empty when the message is fine. */
function slackLimitViolations(message: SlackMessage): string[] {
  const violations: string[] = [];
  if (typeof message.text !== "string" || message.text.length === 0) violations.push("no top-level text fallback");
  if (message.blocks.length > SLACK_LIMITS.blocks) violations.push(`${message.blocks.length} blocks`);
  for (const [index, block] of message.blocks.entries()) {
    if (block.type === "header") {
      if (block.text.type !== "plain_text") violations.push(`block ${index}: header text must be plain_text`);
      if (block.text.text.length > SLACK_LIMITS.headerChars) violations.push(`block ${index}: header too long`);
    }
    if (block.type === "section" && block.text.text.length > SLACK_LIMITS.sectionTextChars) {
      violations.push(`block ${index}: section text of ${block.text.text.length} characters`);
    }
    if (block.type === "context" && block.elements.length > SLACK_LIMITS.contextElements) {
      violations.push(`block ${index}: ${block.elements.length} context elements`);
    }
  }
  return violations;
}

/** Every mrkdwn string Slack would parse: the fallback text and each section or context text. */
function slackMrkdwn(message: SlackMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === "section") texts.push(block.text.text);
    if (block.type === "context") texts.push(...block.elements.map((element) => element.text));
  }
  return texts;
}

/** What is left once our own `<https://...|label>` links are removed must hold no `<` at all. */
const withoutOurLinks = (text: string): string => text.replace(/<https:\/\/[^|<>\s]+\|[^<>]+>/g, "");

/** The longest alias ACCOUNT_ALIASES accepts (64 characters): the worst case for every size limit. */
const LONGEST_ALIAS = { accountAliases: new Map([["123456789012", `prod-${"x".repeat(59)}`]]) };

describe("every rendered event fits its channel", () => {
  for (const [name, event] of Object.entries(CASES)) {
    it(`keeps the ${name} email within the SNS limit, attributes included`, () => {
      // Act
      const email = renderEmail(event, LONGEST_ALIAS);

      // Assess
      expect(messageBytes(email) + Buffer.byteLength(email.subject)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
      expect(email.subject.length).toBeLessThanOrEqual(100);
      expect(email.subject).toMatch(/^[\x20-\x7e]+$/);
      expect(email.body).toContain(event.job.jobArn);
    });

    it(`renders the ${name} chat notification in Amazon Q Developer's custom notification schema`, () => {
      // Act
      const { notification, body, attributes } = renderChatTopicMessage(event, LONGEST_ALIAS);

      // Assess
      expect(validateChatbot(notification), JSON.stringify(validateChatbot.errors)).toBe(true);
      expect(notification.metadata.threadId).toBe(event.job.jobArn);
      expect(notification.id).toBe(event.eventId);
      expect(notification.content.description.length).toBeLessThanOrEqual(CHATBOT_DESCRIPTION_MAX_CHARS);
      // The attributes published with it count against the same limit.
      expect(messageBytes({ body, attributes })).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
      expect(attributes).toMatchObject({ accountId: event.job.accountId, region: event.job.region });
    });

    it(`keeps the ${name} Slack message within Block Kit limits`, () => {
      // Act
      const message = renderSlackMessage(event, LONGEST_ALIAS);

      // Assess
      expect(slackLimitViolations(message)).toEqual([]);
    });

    it(`renders the ${name} Teams message as a Workflows Adaptive Card under the size limit`, () => {
      // Act
      const message = renderTeamsMessage(event, LONGEST_ALIAS);

      // Assess
      expect(validateTeams(message), JSON.stringify(validateTeams.errors)).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    });

    it(`starts from a ${name} event that is valid against the event schema`, () => {
      expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
    });
  }
});

describe("every rendered daily digest fits its channel", () => {
  /** The seeded and empty days, a busy day, 80 busy scopes (the event lists what fits SNS), 60 small ones (it lists 50). */
  const digests = {
    ...DIGEST_CASES,
    "digest-busy": busyDigest(12),
    "digest-busy-estate": busyDigest(80),
    "digest-wide-estate": wideDigest(60),
  };

  for (const [name, event] of Object.entries(digests)) {
    it(`keeps the ${name} email within the SNS limit, attributes included`, () => {
      // Act
      const email = renderEmail(event, LONGEST_ALIAS);

      // Assess
      expect(messageBytes(email) + Buffer.byteLength(email.subject)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
      expect(email.subject.length).toBeLessThanOrEqual(100);
      expect(email.subject).toMatch(/^[\x20-\x7e]+$/);
    });

    it(`renders the ${name} chat notification in the custom notification schema, within the description limit`, () => {
      // Act
      const { notification, body, attributes } = renderChatTopicMessage(event, LONGEST_ALIAS);

      // Assess
      expect(validateChatbot(notification), JSON.stringify(validateChatbot.errors)).toBe(true);
      expect(notification.content.description.length).toBeLessThanOrEqual(CHATBOT_DESCRIPTION_MAX_CHARS);
      expect(messageBytes({ body, attributes })).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    });

    it(`keeps the ${name} Slack message within Block Kit limits`, () => {
      // Act
      const message = renderSlackMessage(event, LONGEST_ALIAS);

      // Assess
      expect(slackLimitViolations(message)).toEqual([]);
    });

    it(`renders the ${name} Teams message as a Workflows Adaptive Card under the size limit`, () => {
      // Act
      const message = renderTeamsMessage(event, LONGEST_ALIAS);

      // Assess
      expect(validateTeams(message), JSON.stringify(validateTeams.errors)).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    });

    it(`starts from a ${name} digest that is valid against the event schema`, () => {
      expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
    });
  }
});

describe("job-provided text cannot trigger chat markup", () => {
  const event = CASES["hostile-text"];
  if (!event) throw new Error("fixture missing");

  it("escapes Slack control sequences in every mrkdwn string, so <!channel> cannot ping anyone", () => {
    // Act
    const texts = slackMrkdwn(renderSlackMessage(event));

    // Assess
    for (const text of texts) {
      expect(text).not.toContain("<!channel>");
      expect(withoutOurLinks(text)).not.toContain("<");
      expect(withoutOurLinks(text)).not.toContain(">");
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it("keeps Slack formatting characters inside code spans and fences, with no backtick left to close them early", () => {
    // Act
    const [summary, failure] = renderSlackMessage(event)
      .blocks.filter((block) => block.type === "section")
      .map((block) => (block.type === "section" ? block.text.text : ""));

    // Assess
    expect(summary).toContain("`name-&lt;!channel&gt; *bold* _it_");
    expect(failure?.match(/```/g)).toHaveLength(2);
  });

  it("escapes control sequences in the chat notification's title, description, summary and steps", () => {
    // Act
    const { content, metadata } = renderChatbotNotification(event);

    // Assess
    for (const text of [content.title, content.description, metadata.summary, ...(content.nextSteps ?? [])]) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<script>");
    }
  });

  it("escapes markdown in Teams text so a job name cannot make a link", () => {
    // Act
    const card = renderTeamsMessage(event).attachments[0]?.content;
    const texts = JSON.stringify(card?.body);

    // Assess
    expect(texts).not.toContain("[link](http://evil)");
    expect(texts).toContain("\\\\[link\\\\](http://evil)");
  });

  it("keeps the email as plain text, showing the job name exactly as typed on one line", () => {
    // Act
    const email = renderEmail(event);

    // Assess
    expect(email.body).toContain(`Job:         name-<!channel> *bold*`);
    expect(email.body).toContain("<script>alert('x')</script>");
  });
});

describe("a failure message too long for a channel is shortened, never dropped", () => {
  const event = CASES["near-sns-limit"];
  if (!event) throw new Error("fixture missing");

  it("keeps the start of the message, marks the cut and keeps every other fact in the email", () => {
    // Act
    const email = renderEmail(event);

    // Assess
    expect(email.body).toContain("record-0: ModelTimeoutException");
    expect(email.body).toContain("…[truncated]");
    expect(email.body).toContain("Shortened to fit the message size limit");
    expect(email.body).toContain("Links:");
    expect(email.body).toContain(event.eventId);
  });

  it("uses as much of the Slack section as it can for the failure message", () => {
    // Act
    const failure = renderSlackMessage(event).blocks.find(
      (block) => block.type === "section" && block.text.text.startsWith("*Failure reason*"),
    );

    // Assess
    expect(failure?.type === "section" && failure.text.text.length).toBeGreaterThan(
      SLACK_LIMITS.sectionTextChars - 100,
    );
  });
});
