import { describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../../src/domain/event";
import { SUBJECT_MAX } from "../../../src/domain/message";
import { RENDER_FORMATS, renderFor } from "../../../src/domain/render";
import { renderChatbotNotification } from "../../../src/domain/render/chatbot";
import { renderEmail } from "../../../src/domain/render/email";
import { factsOf } from "../../../src/domain/render/facts";
import { renderSlackMessage } from "../../../src/domain/render/slack";
import { renderTeamsMessage } from "../../../src/domain/render/teams";
import { CASES } from "../../../tools/samples/events";

const failed = CASES["failed-long-message"] as JobStatusEvent;
const ALIASES = { accountAliases: new Map([["123456789012", "prod"]]) };

/** An event whose ARN did not parse: the event then carries neither account nor region. */
const unplaced: JobStatusEvent = {
  ...failed,
  job: { ...failed.job, jobArn: "not-an-arn", accountId: null, region: null },
};

describe("the account and region facts", () => {
  it("label the account with its alias, and put account and region on one line", () => {
    // Act
    const facts = factsOf(failed, ALIASES);

    // Assess
    expect(facts).toMatchObject({
      account: "prod (123456789012)",
      region: "us-east-1",
      scope: "prod (123456789012) · us-east-1",
    });
  });

  it("show the account id alone without an alias for it, or without options at all", () => {
    // Act
    const otherAlias = factsOf(failed, { accountAliases: new Map([["210987654321", "staging"]]) });
    const noOptions = factsOf(failed);

    // Assess
    for (const facts of [otherAlias, noOptions]) {
      expect(facts.account).toBe("123456789012");
      expect(facts.scope).toBe("123456789012 · us-east-1");
    }
  });

  it("are null when the ARN named neither, and no channel prints an empty account line", () => {
    // Act
    const facts = factsOf(unplaced, ALIASES);
    const email = renderEmail(unplaced, ALIASES).body;
    const chat = renderChatbotNotification(unplaced, ALIASES).content.description;
    const slack = JSON.stringify(renderSlackMessage(unplaced, ALIASES));
    const teams = renderTeamsMessage(unplaced, ALIASES).attachments[0]?.content.body ?? [];

    // Assess
    expect(facts).toMatchObject({ account: null, region: null, scope: null });
    expect(email).not.toContain("Account:");
    expect(email).not.toContain("Region:");
    expect(chat).not.toContain("**Account**");
    expect(slack).not.toContain("*Account*");
    // Title, job name, then straight to the facts: no scope line in between.
    expect(teams[2]?.type).toBe("FactSet");
  });

  it("show a placeholder for the half that is unknown", () => {
    // Act
    const facts = factsOf({ ...failed, job: { ...failed.job, region: null } }, ALIASES);

    // Assess
    expect(facts.scope).toBe("prod (123456789012) · —");
  });
});

describe("the email subject", () => {
  it("stays the same with aliases configured and within 99 characters, even with the longest alias", () => {
    // Prepare
    const longName: JobStatusEvent = {
      ...failed,
      previousStatus: "InProgress",
      job: { ...failed.job, jobName: "n".repeat(63), status: "PartiallyCompleted" },
    };
    const longestAlias = { accountAliases: new Map([["123456789012", "a".repeat(64)]]) };

    // Act
    const plain = renderEmail(longName).subject;
    const aliased = renderEmail(longName, longestAlias).subject;

    // Assess
    expect(aliased).toBe(plain);
    expect(aliased.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(aliased).not.toContain("a".repeat(10));
  });
});

describe("renderFor", () => {
  it("applies the aliases to every people channel and leaves the json event untouched", () => {
    for (const format of RENDER_FORMATS) {
      // Act
      const aliased = renderFor(format, failed, ALIASES);
      const plain = renderFor(format, failed);

      // Assess
      if (format === "json") {
        expect(aliased).toBe(plain);
        expect(aliased).not.toContain("prod");
      } else {
        expect(aliased, format).toContain("prod (123456789012)");
        expect(aliased, format).toContain("us-east-1");
        expect(plain, format).not.toContain("prod (123456789012)");
      }
    }
  });
});
