import { describe, expect, it } from "vitest";
import type { DailyDigestEvent } from "../../../../src/domain/digest";
import { messageBytes } from "../../../../src/domain/message";
import { RENDER_FORMATS, renderFor } from "../../../../src/domain/render";
import { renderChatTopicMessage } from "../../../../src/domain/render/chatbot";
import { DIGEST_THREAD_ID } from "../../../../src/domain/render/digest/chatbot";
import { renderEmail } from "../../../../src/domain/render/email";
import { renderSlackMessage } from "../../../../src/domain/render/slack";
import { renderTeamsMessage } from "../../../../src/domain/render/teams";
import { busyDigest, DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../../../../tools/samples/events";

const OPTIONS = { accountAliases: GOLDEN_ACCOUNT_ALIASES };
const PEOPLE_FORMATS = RENDER_FORMATS.filter((format) => format !== "json");
const seeded = DIGEST_CASES.digest as DailyDigestEvent;
const emptyDay = DIGEST_CASES["digest-empty-day"] as DailyDigestEvent;

/** What a person reads: the JSON formats unescaped once, so the text compares as shown. */
const shown = (format: string, rendered: string): string =>
  format === "email" ? rendered : JSON.stringify(JSON.parse(rendered)).replace(/\\"/g, '"');

describe("the daily digest, for people", () => {
  for (const format of PEOPLE_FORMATS) {
    it(`shows the title, totals and every section of each listed scope in ${format}`, () => {
      // Act
      const text = shown(format, renderFor(format, seeded, OPTIONS));

      // Assess
      for (const expected of [
        "Bedrock batch jobs — daily digest 2024-08-29",
        "8 finished (Completed 3, PartiallyCompleted 1, Failed 3, Expired 1) · 4,200 records processed, 130 failed",
        "prod (123456789012) · us-east-1",
        "prod (123456789012) · eu-west-1",
        "210987654321 · us-east-1",
        "AccessDeniedException: the scope could not be read; its jobs are not counted in this digest.",
        "Completed 2, PartiallyCompleted 1, Failed 3, Expired 1",
        "3,400 processed, 130 failed",
        "Top failure reasons",
        "Amazon Bedrock could not assume",
        "access-check",
        "reviews-a",
        "backfill-q3",
        "StuckInStatus 1, MayNotFinish 1",
        "NoProgress 1",
        "Open, oldest first",
        "1 d 6 h old, 10,000 of 25,000 processed (40%) · error rate 2.0%",
        "4 h old, no records processed yet",
        "amazon.titan-embed-text-v2:0",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "#/batch-inference",
      ]) {
        expect(text, expected).toContain(expected);
      }
      // Two failures of one cause are one line, counted; the oldest open job comes first.
      expect(text).toMatch(/2 × .?Validation failed for .*missing the required field/);
      expect(text.indexOf("long-run")).toBeLessThan(text.indexOf("queued-eval"));
      expect(text).not.toContain("more scopes with activity not listed");
    });

    it(`says an empty day is quiet in ${format}`, () => {
      // Act
      const text = shown(format, renderFor(format, emptyDay, OPTIONS));

      // Assess
      expect(text).toContain("nothing finished · 0 records processed, 0 failed · 0 open · 0 warnings sent");
      expect(text).toContain("No scope had activity in the last 24 hours");
      expect(text).not.toContain("old-news");
    });

    it(`says how many scopes with activity the digest did not list in ${format}`, () => {
      // Prepare: the producer had to leave two scopes out (scopesOmitted)
      const event: DailyDigestEvent = { ...seeded, scopesOmitted: 2 };

      // Act
      const text = shown(format, renderFor(format, event, OPTIONS));

      // Assess
      expect(text).toContain("2 more scopes with activity not listed.");
      expect(text).not.toContain("No scope had activity");
    });
  }

  it("emails the digest with the digest's subject and attributes, which the email filter policy selects", () => {
    // Act
    const email = renderEmail(seeded, OPTIONS);

    // Assess
    expect(email.subject).toBe("Bedrock batch jobs, daily digest 2024-08-29: 8 finished, 4 failed or expired");
    expect(email.attributes).toEqual({ eventType: "DailyDigest", severity: "error" });
  });

  it("posts the digest to Amazon Q Developer in a thread of its own, apart from every job's thread", () => {
    // Act
    const { notification, attributes } = renderChatTopicMessage(seeded, OPTIONS);

    // Assess
    expect(DIGEST_THREAD_ID).toBe("daily-digest");
    expect(notification.metadata).toMatchObject({
      threadId: "daily-digest",
      eventType: "DailyDigest",
      relatedResources: [],
    });
    expect(notification.metadata.additionalContext).toMatchObject({
      eventId: seeded.eventId,
      finished: "Completed=3,Failed=3,PartiallyCompleted=1,Expired=1",
      scopesOmitted: "0",
    });
    expect(notification.content.keywords).toEqual(["DailyDigest", "error", "bedrock-batch-inference"]);
    expect(attributes).toEqual({ eventType: "DailyDigest", severity: "error" });
  });

  it("colours the Teams title by the digest's severity", () => {
    // Act
    const [failing, quiet] = [seeded, emptyDay].map(
      (event) => renderTeamsMessage(event).attachments[0]?.content.body[0],
    );

    // Assess
    expect(failing).toMatchObject({ color: "Attention" });
    expect(quiet).toMatchObject({ color: "Good" });
  });
});

describe("a digest too big for a channel is cut, and the cut is said", () => {
  const busy = busyDigest(12);

  it("cuts the Amazon Q description to its scopes' counts and says what it left out", () => {
    // Act
    const { description } = renderChatTopicMessage(busy).notification.content;

    // Assess
    expect(description).toContain("Not listed here: 36 failures, 30 expired jobs, 15 open jobs, 3 models.");
    expect(description).toMatch(/\d+ more scopes with activity not listed\./);
  });

  it("cuts the Teams card's lists, ending each with …and N more", () => {
    // Act
    const card = JSON.stringify(renderTeamsMessage(busy));

    // Assess
    expect(card).toMatch(/- …and \d+ more failures/);
    expect(card).toContain("- …and 14 more");
  });

  it("lists Slack's scopes in at most 50 blocks, counting those it had no room for with the ones the event left out", () => {
    // Prepare: 60 scopes with activity; the event lists what fits SNS and counts the rest
    const many = busyDigest(60);

    // Act
    const message = renderSlackMessage(many);

    // Assess
    const scopeSections = message.blocks.filter(
      (block) => block.type === "section" && block.text.text.includes("Batch jobs in the console"),
    ).length;
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(scopeSections).toBeGreaterThan(0);
    const notListed = many.scopesOmitted + many.scopes.length - scopeSections;
    expect(JSON.stringify(message.blocks)).toContain(`_${notListed} more scopes with activity not listed._`);
  });

  it("cuts an email that would not fit the message size", () => {
    // Prepare
    const maxBytes = 2_500;

    // Act
    const email = renderEmail(busy, {}, maxBytes);

    // Assess
    expect(messageBytes(email) + Buffer.byteLength(email.subject)).toBeLessThanOrEqual(maxBytes);
    expect(email.body).toMatch(/\d+ more scopes? with activity not listed\./);
    expect(email.body).toContain("Not listed here: 36 failures, 30 expired jobs, 15 open jobs, 3 models.");
    expect(email.body).toContain("Totals: 792 finished");
  });
});

describe("job-provided text in the digest cannot trigger chat markup", () => {
  const hostile = "<!channel> *bold* [link](http://evil) <https://evil.example|click> `tick`";
  const [unreadable, prodUs, ...rest] = seeded.scopes;
  const reason = prodUs?.failureReasons[0];
  const event: DailyDigestEvent = {
    ...seeded,
    scopes: [
      { ...(unreadable as NonNullable<typeof unreadable>), unavailable: `Denied ${hostile}` },
      {
        ...(prodUs as NonNullable<typeof prodUs>),
        failureReasons: [
          {
            ...(reason as NonNullable<typeof reason>),
            reason: `Failure ${hostile}`,
            example: { ...(reason as NonNullable<typeof reason>).example, jobName: `job-${hostile}` },
          },
        ],
        open: prodUs?.open.map((job) => ({ ...job, jobName: `open-${hostile}` })) ?? [],
        models: prodUs?.models.map((model) => ({ ...model, modelId: `model-${hostile}` })) ?? [],
      },
      ...rest,
    ],
  };

  it("escapes Slack and Amazon Q control sequences, so nothing pings or links", () => {
    // Act
    const slack = JSON.stringify(renderSlackMessage(event));
    const chat = renderChatTopicMessage(event).notification.content.description;

    // Assess
    for (const text of [slack, chat]) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://evil.example|click>");
      // Job text sits in code spans, where markup is inert; outside them no markdown link survives.
      expect(text.replace(/`[^`]*`/g, "")).not.toContain("[link](http://evil)");
    }
    // Slack's own entity escapes in the webhook message.
    expect(slack).toContain("`open-&lt;!channel&gt; *bold* [link](http://evil)");
    expect(slack).toContain("Denied &lt;!channel&gt; *bold* \uff3blink\uff3d(http://evil)");
    // Amazon Q's client-markdown goes to Slack and Teams: look-alikes, which read the same in both.
    expect(chat).not.toContain("&lt;");
    expect(chat).toContain("`open-\uff1c!channel\uff1e *bold* \uff3blink\uff3d(http://evil)");
    expect(chat).toContain("Denied \uff1c!channel\uff1e *bold* \uff3blink\uff3d(http://evil)");
  });

  it("escapes Teams markdown, so no job text makes a link or bold text", () => {
    // Act
    const teams = JSON.stringify(renderTeamsMessage(event).attachments[0]?.content.body);

    // Assess
    expect(teams).not.toContain("[link](http://evil)");
    expect(teams).not.toContain(" *bold*");
  });

  it("shows the email's job text on one line, as typed", () => {
    // Prepare
    const multiLine: DailyDigestEvent = {
      ...event,
      scopes: event.scopes.map((scope) => ({
        ...scope,
        open: scope.open.map((job) => ({ ...job, jobName: "two\nlines" })),
      })),
    };

    // Act
    const { body } = renderEmail(multiLine);

    // Assess
    expect(body).toContain("  - two lines: InProgress");
    expect(body).toContain(`Failure ${hostile}`);
  });
});
