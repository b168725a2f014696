import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import type { NotifierEvent } from "../../../src/domain/notifier-event";
import { renderChatbotNotification } from "../../../src/domain/render/chatbot";
import { CHATBOT_TITLE_MAX_CHARS } from "../../../src/domain/render/limits";
import { CASES, DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../../../tools/samples/events";

/**
 * One Amazon Q Developer notification is posted to Slack and to Microsoft Teams channels alike: Amazon Q renders its
 * `client-markdown` "in the target chat platform's markdown" (custom notifications guide). So the text must mean the
 * same thing read as standard markdown and read as Slack markup. This test reads every notification we send with a
 * CommonMark parser (markdown-it's `commonmark` preset, the strictest standard reading) and checks that it holds only
 * the constructs docs/channels.md lists as portable, each where we put it. Real Slack and Teams rendering through
 * Amazon Q cannot be checked here (docs/channels.md says so).
 */
const commonmark = new MarkdownIt("commonmark");

type Token = ReturnType<typeof commonmark.parse>[number];
const flatten = (tokens: Token[]): Token[] => tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);

/** Block constructs that would reshape the message in one client and not the other. */
const NOT_PORTABLE = [
  "heading_open",
  "bullet_list_open",
  "ordered_list_open",
  "blockquote_open",
  "html_block",
  "html_inline",
  "hr",
  "code_block", // an indented block: Slack has none
  "image",
];

const ALL_CASES: Record<string, NotifierEvent> = { ...CASES, ...DIGEST_CASES };
const notifications = Object.entries(ALL_CASES).map(([name, event]) => ({
  name,
  notification: renderChatbotNotification(event, { accountAliases: GOLDEN_ACCOUNT_ALIASES }),
}));

describe.each(notifications)("the $name notification reads the same in Slack and in Teams", ({ notification }) => {
  const { title, description, nextSteps = [], keywords = [] } = notification.content;
  const tokens = flatten(commonmark.parse(description, {}));

  it("holds no construct that one client would draw and the other not", () => {
    for (const text of [title, description, ...nextSteps]) {
      const types = flatten(commonmark.parse(text, {})).map((token) => token.type);
      expect(types.filter((type) => NOT_PORTABLE.includes(type))).toEqual([]);
    }
  });

  it("uses no Slack-only markup and no entity escapes (CommonMark shows them as typed inside code)", () => {
    for (const text of [title, description, ...nextSteps, ...keywords, notification.metadata.summary]) {
      expect(text).not.toMatch(/<[^>\s]*[|!@#][^>]*>/); // <url|label>, <!channel>, <@user>
      expect(text).not.toMatch(/&(lt|gt|amp);/);
      expect(text).not.toMatch(/(^|\s):[a-z0-9_+-]+:(\s|$)/); // :emoji: shortcodes (we use Unicode emoji)
    }
  });

  it("shows every line of the description on a line of its own (hard breaks, never soft ones)", () => {
    expect(tokens.filter((token) => token.type === "softbreak")).toEqual([]);
    const breaks = tokens.filter((token) => token.type === "hardbreak").length;
    expect(breaks).toBe(description.split("  \n").length - 1);
  });

  it("links only to the console and S3 links we built, and only from our own labels", () => {
    const links = tokens.filter((token) => token.type === "link_open").map((token) => token.attrGet("href") ?? "");
    for (const href of links) {
      expect(href).toMatch(
        /^https:\/\/([a-z0-9-]+\.)?(console\.aws\.amazon\.com|console\.amazonaws\.cn|console\.amazonaws-us-gov\.com)\//,
      );
    }
    // Link labels are ours: every link's text is one of the labels the renderers write.
    const labels = description.match(/\[[^\]]*\]\(/g) ?? [];
    expect(labels.length).toBe(links.length);
    for (const label of labels) {
      expect(["[Batch inference jobs in the console](", "[Output in S3](", "[Batch jobs in the console]("]).toContain(
        label,
      );
    }
  });

  it("puts a failure reason in a fenced block that closes where we close it", () => {
    const fences = tokens.filter((token) => token.type === "fence");
    expect(fences.length).toBe((description.match(/^```$/gm) ?? []).length / 2);
    // Nothing after a fence is swallowed into it: the links after it are still links.
    for (const fence of fences) expect(fence.content).not.toContain("](https://");
  });

  it("keeps within the documented field limits", () => {
    expect(title.length).toBeLessThanOrEqual(CHATBOT_TITLE_MAX_CHARS);
    for (const step of nextSteps) expect(step.length).toBeLessThanOrEqual(350);
    for (const keyword of keywords) expect(keyword.length).toBeLessThanOrEqual(75);
    expect(description.length).toBeLessThanOrEqual(8000);
  });
});

describe("job text in client-markdown", () => {
  it("stays inert in CommonMark: the hostile name and reason make no link, no emphasis and no HTML", () => {
    const { title, description } = renderChatbotNotification(CASES["hostile-text"] as NotifierEvent).content;
    for (const text of [title, description]) {
      const types = flatten(commonmark.parse(text, {})).map((token) => token.type);
      expect(types).not.toContain("html_inline");
      // Emphasis only from our own labels (**Job**, **Model**, ...), none from the job's `*bold*` or `_it_`.
      const emphasis = flatten(commonmark.parse(text, {})).filter((token) => token.type === "em_open");
      expect(emphasis).toEqual([]);
    }
    const inline = flatten(commonmark.parse(description, {})).filter((token) => token.type === "code_inline");
    // The name reads as typed, with look-alikes for the characters either markup would act on.
    expect(inline[0]?.content).toContain("name-\uff1c!channel\uff1e *bold* _it_ ~strike~ \uff1cscript\uff1e");
  });

  it("clips a very long job name in the title so the title keeps within 250 characters", () => {
    const event = CASES.failed as NotifierEvent & { job: { jobName: string } };
    const long = { ...event, job: { ...event.job, jobName: "n".repeat(2000) } } as NotifierEvent;
    expect(renderChatbotNotification(long).content.title.length).toBeLessThanOrEqual(CHATBOT_TITLE_MAX_CHARS);
  });
});
