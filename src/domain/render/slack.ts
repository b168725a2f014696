import { isDigest, type NotifierEvent } from "../notifier-event";
import { renderDigestSlack } from "./digest/slack";
import {
  chatSentence,
  clip,
  escapeSlack,
  NAME_MAX_CHARS,
  plainWord,
  singleLine,
  slackCode,
  slackCodeBlock,
  withoutControlCharacters,
} from "./escape";
import { type EventFacts, factsOf, type RenderOptions } from "./facts";
import { type FittedMessage, fitFailureMessage } from "./fit";
import { SLACK_LIMITS } from "./limits";

export { SLACK_LIMITS } from "./limits";

export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
}

export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string } }
  | { type: "section"; text: SlackText }
  | { type: "context"; elements: SlackText[] }
  | { type: "divider" };

/** An incoming webhook payload: `text` is what notifications and screen readers show, `blocks` the message itself. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Our own URLs; escaped anyway, as Slack asks for `&`, `<` and `>` everywhere in mrkdwn. */
const slackLink = (label: string, url: string): string => `<${escapeSlack(url)}|${label}>`;

const mrkdwn = (text: string): { type: "section"; text: SlackText } => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionTextChars) },
});

function summarySection(facts: EventFacts): string {
  const warning = facts.warning;
  const lines = [
    // The warning's sentence first: it is what the message is about.
    ...(warning === null ? [] : [chatSentence(clip(warning.summary, 1000))]),
    `*Job* ${slackCode(clip(facts.jobName, NAME_MAX_CHARS))}`,
    // Which of the watched scopes: the alias is ours (configuration), escaped all the same.
    ...(facts.scope === null
      ? []
      : [`*Account* ${escapeSlack(facts.account ?? "—")}   *Region* ${escapeSlack(facts.region ?? "—")}`]),
    `*Model* ${slackCode(clip(facts.modelId, NAME_MAX_CHARS))}`,
    `*Status* ${escapeSlack(clip(singleLine(facts.transition), NAME_MAX_CHARS))} (${facts.severityLabel.toLowerCase()})`,
    ...(warning === null ? [] : [`*Warning* ${warning.kind}, ${warning.measure}`]),
    ...(facts.progress === null ? [] : [`*Progress* ${facts.progress}`]),
    warning === null
      ? `*Submitted* ${facts.submitted}   *Ended* ${facts.ended}   *Duration* ${facts.duration}` +
        (facts.throughput === null ? "" : `   *Throughput* ${facts.throughput}`)
      : `*Submitted* ${facts.submitted}   *Expires* ${facts.expires ?? "—"}   *Duration* ${facts.duration}`,
    `*Records* ${facts.records}${facts.errorRate === null ? "" : ` (error rate ${facts.errorRate})`}`,
  ];
  return lines.join("\n");
}

function failureSection(facts: EventFacts, failure: FittedMessage): string | null {
  if (failure.text === null) return null;
  const note = failure.truncated || facts.failureMessageTruncated ? " _(shortened; full text in the console)_" : "";
  return `*Failure reason*${note}\n${slackCodeBlock(withoutControlCharacters(failure.text))}`;
}

function blocksOf(facts: EventFacts, failure: FittedMessage): SlackBlock[] {
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text:
          facts.warning === null
            ? `${facts.symbol} Bedrock batch job ${plainWord(facts.status)}`
            : `${facts.symbol} ${facts.warning.title}`,
      },
    },
    mrkdwn(summarySection(facts)),
  ];

  const failureText = failureSection(facts, failure);
  if (failureText !== null) blocks.push({ type: "section", text: { type: "mrkdwn", text: failureText } });

  if (facts.nextSteps.length > 0) {
    blocks.push(mrkdwn(`*What to do next*\n${facts.nextSteps.map((step) => `• ${escapeSlack(step)}`).join("\n")}`));
  }

  const links: string[] = [];
  if (facts.links.batchJobs !== null)
    links.push(slackLink("Batch inference jobs in the console", facts.links.batchJobs));
  if (facts.links.output !== null) links.push(slackLink("Output in S3", facts.links.output));
  if (links.length > 0) blocks.push(mrkdwn(links.join("  ·  ")));

  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `Event \`${facts.eventId}\` · detected ${facts.detectedAt} · bedrock-job-notifier` },
    ],
  });
  return blocks;
}

export function renderSlackMessage(event: NotifierEvent, options: RenderOptions = {}): SlackMessage {
  if (isDigest(event)) return renderDigestSlack(event, options);
  const facts = factsOf(event, options);
  const text =
    facts.warning === null
      ? `${facts.symbol} ${facts.severityLabel}: Bedrock batch job ${slackCode(clip(facts.jobName, NAME_MAX_CHARS))}: ` +
        escapeSlack(clip(singleLine(facts.transition), NAME_MAX_CHARS))
      : `${facts.symbol} ${facts.warning.title} for Bedrock batch job ${slackCode(clip(facts.jobName, NAME_MAX_CHARS))}`;

  return fitFailureMessage(
    facts.failureMessage,
    (failure) => ({ text, blocks: blocksOf(facts, failure) }),
    (message) =>
      message.blocks.every(
        (block) => block.type !== "section" || block.text.text.length <= SLACK_LIMITS.sectionTextChars,
      ),
  );
}

export function renderSlack(event: NotifierEvent, options: RenderOptions = {}): string {
  return JSON.stringify(renderSlackMessage(event, options));
}
