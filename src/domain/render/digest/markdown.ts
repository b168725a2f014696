import { chatCode, chatLines, chatSentence, chatText, escapeSlack, singleLine, slackCode } from "../escape";
import { andMore, hasShown, type Listed, type ScopeFacts, unlistedLine } from "./facts";

/**
 * One scope's section as chat markdown, shared by Slack mrkdwn and Amazon Q Developer's client-markdown (which Amazon
 * Q renders into Slack's or Teams' own markdown). They differ in how bold text and links are written, how job text is
 * made inert (Slack's entity escapes, or look-alikes that read the same in Slack and CommonMark) and how lines are
 * joined. Job text (names, statuses, model ids, reasons) goes in code spans, as in every chat message.
 */
export interface MarkdownStyle {
  bold: (text: string) => string;
  link: (label: string, url: string) => string;
  /** Job text (or text holding it) shown as prose. */
  text: (text: string) => string;
  /** Job text shown as an inline code span. */
  code: (text: string) => string;
  /** Job text shown as a sentence (one line, no disguised links). */
  sentence: (text: string) => string;
  /** Lines joined so that each shows on its own line. */
  lines: (lines: readonly string[]) => string;
}

/** Slack's own mrkdwn (the webhook message). */
export const SLACK_MARKDOWN = {
  text: escapeSlack,
  code: slackCode,
  sentence: chatSentence,
  lines: (lines: readonly string[]) => lines.join("\n"),
} as const satisfies Omit<MarkdownStyle, "bold" | "link">;

/** Amazon Q Developer's client-markdown, one text for Slack and Teams (see chatText in ../escape). */
export const CLIENT_MARKDOWN = {
  text: chatText,
  code: chatCode,
  sentence: (text: string) => chatText(singleLine(text)),
  lines: chatLines,
} as const satisfies Omit<MarkdownStyle, "bold" | "link">;

function list<T>(label: string, listed: Listed<T>, item: (value: T) => string, noun?: string): string[] {
  if (!hasShown(listed)) return [];
  return [
    label,
    ...listed.shown.map((value) => `• ${item(value)}`),
    ...(listed.more > 0 ? [`• ${andMore(listed.more, noun)}`] : []),
  ];
}

export function scopeMarkdown(scope: ScopeFacts, style: MarkdownStyle): string {
  const { bold, code, text } = style;
  const heading = `${bold(text(scope.heading))}  ·  ${style.link("Batch jobs in the console", scope.consoleLink)}`;
  if (scope.unavailable !== null) {
    return style.lines([
      heading,
      `⚠️ Unavailable: ${style.sentence(scope.unavailable)}; its jobs are not counted in this digest.`,
    ]);
  }
  return style.lines([
    heading,
    `${bold("Finished")} ${text(scope.finished)}   ${bold("Records")} ${scope.records}`,
    ...(scope.warnings === null ? [] : [`${bold("Warnings sent")} ${scope.warnings}`]),
    ...list(
      bold("Top failure reasons"),
      scope.reasons,
      (r) => `${r.count} × ${code(r.reason)} (e.g. ${code(r.exampleJobName)})`,
      "failure",
    ),
    ...list(bold("Expired"), scope.expired, (job) => `${code(job.jobName)} (submitted ${job.submitted})`),
    ...list(
      bold("Open, oldest first"),
      scope.open,
      (job) => `${code(job.jobName)}: ${text(job.status)}, ${job.age} old, ${job.progress}`,
    ),
    ...list(bold("Models"), scope.models, (model) => `${code(model.modelId)}: ${text(model.summary)}`),
    ...[unlistedLine(scope)].filter((line) => line !== null).map((line) => `_${line}_`),
  ]);
}
