import { messageBytes, SNS_MAX_MESSAGE_BYTES } from "../message";
import { attributesOf } from "../message-attributes";
import { isDigest, isWarning, type JobEvent, type NotifierEvent } from "../notifier-event";
import { renderDigestChatTopicMessage } from "./digest/chatbot";
import {
  chatCode,
  chatCodeBlock,
  chatLines,
  chatText,
  clip,
  plainWord,
  singleLine,
  withoutControlCharacters,
} from "./escape";
import { type EventFacts, factsOf, type RenderOptions } from "./facts";
import { type FittedMessage, fitFailureMessage } from "./fit";
import {
  CHATBOT_DESCRIPTION_MAX_CHARS,
  CHATBOT_KEYWORD_MAX_CHARS,
  CHATBOT_NEXT_STEP_MAX_CHARS,
  CHATBOT_TITLE_NAME_MAX_CHARS,
} from "./limits";

/**
 * Amazon Q Developer in chat applications (formerly AWS Chatbot) "custom notification", the only shape it reads
 * from an SNS topic; anything else is dropped silently. `schema/chatbot-custom-notification.json` describes it.
 *
 * One notification serves Slack and Microsoft Teams channels alike: Amazon Q renders `client-markdown` "in the target
 * chat platform's markdown", so the text is written in the subset both read the same way (standard `**bold**`,
 * `[label](url)`, code spans, fences on their own lines, hard line breaks, Unicode emoji) and job text is neutralised
 * with look-alikes rather than Slack's entity escapes. docs/channels.md lists each construct and its sources.
 */
export interface ChatbotNotification {
  version: "1.0";
  source: "custom";
  id: string;
  content: {
    textType: "client-markdown";
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
    enableCustomActions: boolean;
  };
}

export { CHATBOT_DESCRIPTION_MAX_CHARS, CHATBOT_TITLE_MAX_CHARS } from "./limits";

/** Markdown link whose label is ours and whose URL we built; neither contains job-provided markup. */
const link = (label: string, url: string): string => `[${label}](${url})`;

/** "**Account** prod (123456789012) · **Region** us-east-1": which of the watched scopes the job belongs to. */
function scopeLine(facts: EventFacts): string {
  return `**Account** ${chatText(facts.account ?? "—")} · **Region** ${chatText(facts.region ?? "—")}`;
}

function descriptionOf(facts: EventFacts, failure: FittedMessage): string {
  const warning = facts.warning;
  const lines = [
    // The warning's sentence first: it is what the notification is about.
    ...(warning === null ? [] : [chatText(singleLine(clip(warning.summary, 1000)))]),
    `**Job** ${chatCode(clip(facts.jobName))}`,
    ...(facts.scope === null ? [] : [scopeLine(facts)]),
    `**Model** ${chatCode(clip(facts.modelId))}`,
    `**Status** ${chatText(clip(singleLine(facts.transition)))}`,
    ...(warning === null ? [] : [`**Warning** ${warning.kind}, ${warning.measure}`]),
    ...(facts.progress === null ? [] : [`**Progress** ${facts.progress}`]),
    warning === null
      ? `**Submitted** ${facts.submitted} · **Ended** ${facts.ended} · **Duration** ${facts.duration}` +
        (facts.throughput === null ? "" : ` · **Throughput** ${facts.throughput}`)
      : `**Submitted** ${facts.submitted} · **Expires** ${facts.expires ?? "—"} · **Duration** ${facts.duration}`,
    `**Records** ${facts.records}${facts.errorRate === null ? "" : ` (error rate ${facts.errorRate})`}`,
  ];
  if (failure.text !== null) {
    const note = failure.truncated || facts.failureMessageTruncated ? " (shortened; full text in the console)" : "";
    lines.push(`**Failure reason**${note}`, chatCodeBlock(withoutControlCharacters(failure.text)));
  }
  const links: string[] = [];
  if (facts.links.batchJobs !== null) links.push(link("Batch inference jobs in the console", facts.links.batchJobs));
  if (facts.links.output !== null) links.push(link("Output in S3", facts.links.output));
  if (links.length > 0) lines.push(links.join(" · "));
  return chatLines(lines);
}

function additionalContextOf(event: JobEvent): Record<string, string> {
  const context: Record<string, string> = {
    eventId: event.eventId,
    jobArn: event.job.jobArn,
    jobName: event.job.jobName,
    modelId: event.job.modelId,
    status: event.job.status,
    ...(isWarning(event)
      ? {
          warningKind: event.warning.kind,
          warningThreshold: String(event.warning.threshold),
          warningObserved: String(event.warning.observed),
          warningUnit: event.warning.unit,
        }
      : { previousStatus: event.previousStatus ?? "none" }),
    severity: event.severity,
    detectedAt: event.detectedAt,
  };
  // Values must be strings: custom actions read them as variables.
  const optional = { region: event.job.region, accountId: event.job.accountId, outputS3Uri: event.job.outputS3Uri };
  for (const [key, value] of Object.entries(optional)) if (value !== null) context[key] = value;
  return context;
}

/** What the chat topic receives: the notification as its body, and the attributes it is published with. */
export interface ChatTopicMessage {
  body: string;
  /** The events topic's attributes, so a filter policy on the chat subscription works the same way. */
  attributes: Record<string, string>;
}

export function renderChatbotNotification(event: NotifierEvent, options: RenderOptions = {}): ChatbotNotification {
  return renderChatTopicMessage(event, options).notification;
}

/**
 * The notification and the attributes it travels with, fitted together: SNS counts attribute names, types and
 * values against the same 256 KB as the body, so the size check measures exactly the attributes published.
 */
export function renderChatTopicMessage(
  event: NotifierEvent,
  options: RenderOptions = {},
): ChatTopicMessage & { notification: ChatbotNotification } {
  // The digest has a thread of its own; every job's events share the job's thread.
  if (isDigest(event)) return renderDigestChatTopicMessage(event, options);
  const facts = factsOf(event, options);
  const warning = facts.warning;
  // The title holds at most 250 characters: the job name is clipped further here (Bedrock allows 63).
  const titleName = chatCode(clip(facts.jobName, CHATBOT_TITLE_NAME_MAX_CHARS));
  const title =
    warning === null
      ? `${facts.symbol} [${facts.severityLabel}] Bedrock batch job ${titleName}: ` +
        chatText(clip(singleLine(facts.transition), 80))
      : `${facts.symbol} ${warning.title} · Bedrock batch job ${titleName}`;
  const summary =
    warning === null
      ? `Bedrock batch job ${facts.jobName}: ${facts.transition}`
      : `${warning.title} for Bedrock batch job ${facts.jobName} (${facts.status})`;
  const keywords = [
    ...(warning === null ? [] : [warning.kind]),
    plainWord(event.job.status),
    event.severity,
    "bedrock-batch-inference",
  ];
  // The chat topic carries the events topic's attributes, and SNS counts them against the size limit.
  const attributes = attributesOf(event);

  const notification = fitFailureMessage(
    facts.failureMessage,
    (failure): ChatbotNotification => ({
      version: "1.0",
      source: "custom",
      id: event.eventId,
      content: {
        textType: "client-markdown",
        title,
        description: descriptionOf(facts, failure),
        ...(facts.nextSteps.length > 0
          ? { nextSteps: facts.nextSteps.map((step) => chatText(clip(step, CHATBOT_NEXT_STEP_MAX_CHARS))) }
          : {}),
        keywords: keywords.map((word) => clip(word, CHATBOT_KEYWORD_MAX_CHARS)),
      },
      metadata: {
        // One thread per job: every later status and warning of the same job is posted as a reply.
        threadId: event.job.jobArn,
        // Plain text shown on the thread's top message and in previews: neutralised, since no client decodes it.
        summary: chatText(singleLine(summary)),
        eventType: event.type,
        relatedResources: [event.job.jobArn],
        additionalContext: additionalContextOf(event),
        enableCustomActions: false,
      },
    }),
    fitsChatTopic(attributes),
  );
  return { notification, body: JSON.stringify(notification), attributes };
}

/**
 * Whether a notification fits where it goes: Amazon Q's description limit, and SNS's message limit, which counts
 * the attributes the chat topic carries too.
 */
export function fitsChatTopic(attributes: Record<string, string>) {
  return (notification: ChatbotNotification): boolean =>
    notification.content.description.length <= CHATBOT_DESCRIPTION_MAX_CHARS &&
    messageBytes({ body: JSON.stringify(notification), attributes }) <= SNS_MAX_MESSAGE_BYTES;
}

export function renderChat(event: NotifierEvent, options: RenderOptions = {}): string {
  return renderChatTopicMessage(event, options).body;
}
