import type { DailyDigestEvent } from "../../digest";
import { escapeSlack } from "../escape";
import type { RenderOptions } from "../facts";
import { SLACK_LIMITS } from "../limits";
import type { SlackBlock, SlackMessage } from "../slack";
import { type DigestFacts, digestFactsOf, fitDigest, notListedLine, QUIET_DAY } from "./facts";
import { SLACK_MARKDOWN, scopeMarkdown } from "./markdown";

const SLACK_STYLE = {
  ...SLACK_MARKDOWN,
  bold: (text: string) => `*${text}*`,
  link: (label: string, url: string) => `<${escapeSlack(url)}|${label}>`,
};

const section = (text: string): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text } });

function blocksOf(facts: DigestFacts): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: `${facts.symbol} ${facts.title}` } },
    section(`*Totals* ${facts.totals}\n*Period* ${facts.period} · ${facts.watched}`),
    // One section per scope: a section holds 3,000 characters, and the message 50 blocks.
    ...facts.scopes.map((scope) => section(scopeMarkdown(scope, SLACK_STYLE))),
  ];
  if (facts.notListed > 0) blocks.push(section(`_${notListedLine(facts.notListed)}_`));
  else if (facts.scopes.length === 0) blocks.push(section(QUIET_DAY));
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `Event \`${facts.eventId}\` · sent ${facts.detectedAt} · bedrock-job-notifier` },
    ],
  });
  return blocks;
}

const fitsSlack = (message: SlackMessage): boolean =>
  message.blocks.length <= SLACK_LIMITS.blocks &&
  message.blocks.every((block) => block.type !== "section" || block.text.text.length <= SLACK_LIMITS.sectionTextChars);

/**
 * The digest as a Block Kit message: a header, the totals, one section per scope. Cut (lists first, then scopes, each
 * cut said) to Slack's 50 blocks and 3,000 characters a section.
 */
export function renderDigestSlack(event: DailyDigestEvent, options: RenderOptions = {}): SlackMessage {
  return fitDigest(
    digestFactsOf(event, options),
    (facts) => ({ text: `${facts.symbol} ${facts.title}: ${facts.headline}`, blocks: blocksOf(facts) }),
    fitsSlack,
  );
}
