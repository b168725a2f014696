import type { DailyDigestEvent } from "../../digest";
import { digestSubjectOf, messageBytes, SNS_MAX_MESSAGE_BYTES } from "../../message";
import { attributesOf } from "../../message-attributes";
import type { EmailMessage } from "../email";
import { singleLine } from "../escape";
import type { RenderOptions } from "../facts";
import {
  andMore,
  type DigestFacts,
  digestFactsOf,
  fitDigest,
  hasShown,
  type Listed,
  notListedLine,
  QUIET_DAY,
  type ScopeFacts,
  unlistedLine,
} from "./facts";

const line = (label: string, value: string): string => `${`${label}:`.padEnd(13)}${value}`;

/** "Label:" then one "  - item" per item, and "  …and N more" when the list was cut; nothing when none is shown. */
function list<T>(label: string, listed: Listed<T>, item: (value: T) => string, noun?: string): string[] {
  if (!hasShown(listed)) return [];
  return [
    `${label}:`,
    ...listed.shown.map((value) => `  - ${item(value)}`),
    ...(listed.more > 0 ? [`  ${andMore(listed.more, noun)}`] : []),
  ];
}

function scopeSection(scope: ScopeFacts): string {
  const heading = `== ${singleLine(scope.heading)} ==`;
  if (scope.unavailable !== null) {
    return `${heading}\nUnavailable: ${singleLine(scope.unavailable)}; its jobs are not counted in this digest.`;
  }
  return [
    heading,
    line("Finished", scope.finished),
    line("Records", scope.records),
    ...(scope.warnings === null ? [] : [line("Warnings", scope.warnings)]),
    ...list(
      "Top failure reasons",
      scope.reasons,
      (r) => `${r.count} × ${singleLine(r.reason)} (e.g. ${singleLine(r.exampleJobName)})`,
      "failure",
    ),
    ...list("Expired", scope.expired, (job) => `${singleLine(job.jobName)} (submitted ${job.submitted})`),
    ...list(
      "Open, oldest first",
      scope.open,
      (job) => `${singleLine(job.jobName)}: ${singleLine(job.status)}, ${job.age} old, ${job.progress}`,
    ),
    ...list("Models", scope.models, (model) => `${singleLine(model.modelId)}: ${model.summary}`),
    ...(unlistedLine(scope) === null ? [] : [unlistedLine(scope) as string]),
    line("Console", scope.consoleLink),
  ].join("\n");
}

function bodyOf(facts: DigestFacts): string {
  const sections = [
    `${facts.title}\n${facts.period} · ${facts.watched}`,
    `Totals: ${facts.totals}.`,
    ...facts.scopes.map(scopeSection),
  ];
  if (facts.notListed > 0) sections.push(notListedLine(facts.notListed));
  else if (facts.scopes.length === 0) sections.push(QUIET_DAY);
  sections.push(`Event ${facts.eventId}, sent ${facts.detectedAt} by bedrock-job-notifier.`);
  return `${sections.join("\n\n")}\n`;
}

/**
 * The digest as plain text, like every email: job text is shown as typed, on one line. One section per listed scope;
 * cut (lists first, then scopes, each cut said) only if it would not fit the SNS message size.
 */
export function renderDigestEmail(
  event: DailyDigestEvent,
  options: RenderOptions = {},
  maxBytes: number = SNS_MAX_MESSAGE_BYTES,
): EmailMessage {
  const subject = digestSubjectOf(event);
  const attributes = attributesOf(event);
  return fitDigest(
    digestFactsOf(event, options),
    (facts) => ({ subject, body: bodyOf(facts), attributes }),
    (email) => messageBytes(email) + Buffer.byteLength(email.subject, "utf8") <= maxBytes,
  );
}
