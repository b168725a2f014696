import { chatSentence, escapeSlack, slackCode } from "../escape";
import { andMore, hasShown, type Listed, type ScopeFacts, unlistedLine } from "./facts";

/**
 * One scope's section as chat markdown, shared by Slack mrkdwn and Amazon Q Developer's client-markdown (which the
 * chat client renders to its own markdown): they differ only in how bold text and links are written. Job text (names,
 * statuses, model ids, reasons) goes in code spans, as in every chat message; our own words are escaped anyway.
 */
export interface MarkdownStyle {
  bold: (text: string) => string;
  link: (label: string, url: string) => string;
}

function list<T>(label: string, listed: Listed<T>, item: (value: T) => string, noun?: string): string[] {
  if (!hasShown(listed)) return [];
  return [
    label,
    ...listed.shown.map((value) => `• ${item(value)}`),
    ...(listed.more > 0 ? [`• ${andMore(listed.more, noun)}`] : []),
  ];
}

export function scopeMarkdown(scope: ScopeFacts, style: MarkdownStyle): string {
  const { bold } = style;
  const heading = `${bold(escapeSlack(scope.heading))}  ·  ${style.link("Batch jobs in the console", scope.consoleLink)}`;
  if (scope.unavailable !== null) {
    return `${heading}\n⚠️ Unavailable: ${chatSentence(scope.unavailable)}; its jobs are not counted in this digest.`;
  }
  return [
    heading,
    `${bold("Finished")} ${escapeSlack(scope.finished)}   ${bold("Records")} ${scope.records}`,
    ...(scope.warnings === null ? [] : [`${bold("Warnings sent")} ${scope.warnings}`]),
    ...list(
      bold("Top failure reasons"),
      scope.reasons,
      (r) => `${r.count} × ${slackCode(r.reason)} (e.g. ${slackCode(r.exampleJobName)})`,
      "failure",
    ),
    ...list(bold("Expired"), scope.expired, (job) => `${slackCode(job.jobName)} (submitted ${job.submitted})`),
    ...list(
      bold("Open, oldest first"),
      scope.open,
      (job) => `${slackCode(job.jobName)}: ${escapeSlack(job.status)}, ${job.age} old, ${job.progress}`,
    ),
    ...list(bold("Models"), scope.models, (model) => `${slackCode(model.modelId)}: ${escapeSlack(model.summary)}`),
    ...[unlistedLine(scope)].filter((line) => line !== null).map((line) => `_${line}_`),
  ].join("\n");
}
