import type { DailyDigestEvent } from "../../digest";
import { digestSubjectOf } from "../../message";
import { attributesOf } from "../../message-attributes";
import { type ChatbotNotification, type ChatTopicMessage, fitsChatTopic } from "../chatbot";
import { chatLines, chatText } from "../escape";
import type { RenderOptions } from "../facts";
import { type DigestFacts, digestFactsOf, fitDigest, notListedLine, QUIET_DAY } from "./facts";
import { CLIENT_MARKDOWN, scopeMarkdown } from "./markdown";

/** Every digest is posted in one thread of its own, apart from the jobs' threads. */
export const DIGEST_THREAD_ID = "daily-digest";

const CHATBOT_STYLE = {
  ...CLIENT_MARKDOWN,
  bold: (text: string) => `**${text}**`,
  /** Markdown link whose label is ours and whose URL we built. */
  link: (label: string, url: string) => `[${label}](${url})`,
};

function descriptionOf(facts: DigestFacts): string {
  const parts = [
    chatLines([`**Totals** ${chatText(facts.totals)}`, `**Period** ${facts.period} · ${facts.watched}`]),
    ...facts.scopes.map((scope) => scopeMarkdown(scope, CHATBOT_STYLE)),
  ];
  if (facts.notListed > 0) parts.push(`_${notListedLine(facts.notListed)}_`);
  else if (facts.scopes.length === 0) parts.push(QUIET_DAY);
  return parts.join("\n\n");
}

/** Values are strings: custom actions read them as variables. */
function additionalContextOf(event: DailyDigestEvent): Record<string, string> {
  const { totals } = event;
  return {
    eventId: event.eventId,
    severity: event.severity,
    periodFrom: event.period.from,
    periodTo: event.period.to,
    scopes: String(totals.scopes),
    finished:
      Object.entries(totals.finished)
        .map(([status, count]) => `${status}=${count}`)
        .join(",") || "none",
    recordsProcessed: String(totals.recordsProcessed),
    recordsFailed: String(totals.recordsFailed),
    open: String(totals.open),
    warnings: String(totals.warnings),
    scopesOmitted: String(event.scopesOmitted),
    detectedAt: event.detectedAt,
  };
}

/**
 * The digest as an Amazon Q Developer custom notification, in a thread of its own (`daily-digest`). The description
 * is cut (lists first, then scopes, each cut said) to 3,000 characters, the strictest chat client's section.
 */
export function renderDigestChatTopicMessage(
  event: DailyDigestEvent,
  options: RenderOptions = {},
): ChatTopicMessage & { notification: ChatbotNotification } {
  const attributes = attributesOf(event);
  const notification = fitDigest(
    digestFactsOf(event, options),
    (facts): ChatbotNotification => ({
      version: "1.0",
      source: "custom",
      id: event.eventId,
      content: {
        textType: "client-markdown",
        title: `${facts.symbol} ${facts.title}`,
        description: descriptionOf(facts),
        keywords: ["DailyDigest", event.severity, "bedrock-batch-inference"],
      },
      metadata: {
        threadId: DIGEST_THREAD_ID,
        summary: chatText(digestSubjectOf(event)),
        eventType: event.type,
        relatedResources: [],
        additionalContext: additionalContextOf(event),
        enableCustomActions: false,
      },
    }),
    fitsChatTopic(attributes),
  );
  return { notification, body: JSON.stringify(notification), attributes };
}
