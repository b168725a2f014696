import { messageBytes, SNS_MAX_MESSAGE_BYTES, subjectOf, warningSubjectOf } from "../message";
import { attributesOf } from "../message-attributes";
import { isDigest, isWarning, type NotifierEvent } from "../notifier-event";
import { renderDigestEmail } from "./digest/email";
import { singleLine, withoutControlCharacters } from "./escape";
import { type EventFacts, factsOf, type RenderOptions } from "./facts";
import { type FittedMessage, fitFailureMessage } from "./fit";

/** One email, as published to the email topic: SNS turns Subject into the mail subject and Message into its body. */
export interface EmailMessage {
  subject: string;
  body: string;
  /** The events topic's attributes, so a filter policy on the email subscription works the same way. */
  attributes: Record<string, string>;
}

const indent = (text: string): string =>
  text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");

function line(label: string, value: string): string {
  return `${`${label}:`.padEnd(13)}${value}`;
}

function bodyOf(facts: EventFacts, failure: FittedMessage): string {
  const sections: string[] = [];

  if (facts.warning !== null) {
    sections.push(
      `${facts.warning.title} for Bedrock batch job ${singleLine(facts.jobName)} (still ${singleLine(facts.status)}).` +
        `\n${singleLine(facts.warning.summary)}`,
    );
  } else {
    sections.push(
      `${facts.severityLabel}: Bedrock batch job ${singleLine(facts.jobName)} is now ${singleLine(facts.status)}` +
        ` (${singleLine(facts.transition)}).`,
    );
  }

  const details = [
    line("Job", singleLine(facts.jobName)),
    ...(facts.account !== null ? [line("Account", facts.account)] : []),
    ...(facts.region !== null ? [line("Region", facts.region)] : []),
    line("Job ARN", singleLine(facts.jobArn)),
    line("Model", singleLine(facts.modelId)),
    line("Status", `${singleLine(facts.transition)} (severity ${facts.severityLabel.toLowerCase()})`),
    ...(facts.warning !== null ? [line("Warning", `${facts.warning.kind}, ${facts.warning.measure}`)] : []),
    ...(facts.progress !== null ? [line("Progress", facts.progress)] : []),
    line("Submitted", facts.submitted),
    ...(facts.expires !== null ? [line("Expires", facts.expires)] : []),
    // A warned job is open by definition: no end to show.
    ...(facts.warning === null ? [line("Ended", facts.ended)] : []),
    line("Duration", facts.duration),
    ...(facts.throughput !== null ? [line("Throughput", facts.throughput)] : []),
    line("Records", facts.records),
  ];
  if (facts.errorRate !== null) details.push(line("Error rate", facts.errorRate));
  if (facts.inputS3Uri !== null) details.push(line("Input", singleLine(facts.inputS3Uri)));
  if (facts.outputS3Uri !== null) details.push(line("Output", singleLine(facts.outputS3Uri)));
  sections.push(details.join("\n"));

  if (failure.text !== null) {
    const notes =
      failure.truncated || facts.failureMessageTruncated
        ? "\n(Shortened to fit the message size limit; the full reason is on the job's page in the Bedrock console.)"
        : "";
    sections.push(`Failure reason:\n${indent(withoutControlCharacters(failure.text))}${notes}`);
  }

  if (facts.nextSteps.length > 0) {
    sections.push(`What to do next:\n${facts.nextSteps.map((step) => `  - ${step}`).join("\n")}`);
  }

  const links: string[] = [];
  // No console page of one job is documented: the list, where the job is found by the name above.
  if (facts.links.batchJobs !== null) links.push(`  Batch inference jobs:     ${facts.links.batchJobs}`);
  if (facts.links.output !== null) links.push(`  Output in the S3 console: ${facts.links.output}`);
  if (facts.links.input !== null) links.push(`  Input in the S3 console:  ${facts.links.input}`);
  if (links.length > 0) sections.push(`Links:\n${links.join("\n")}`);

  sections.push(`Event ${facts.eventId}, detected ${facts.detectedAt} by bedrock-job-notifier.`);
  return `${sections.join("\n\n")}\n`;
}

/**
 * Plain text on purpose: SNS email subscriptions deliver the message as text, so anything a job name contains
 * (HTML, markdown) is shown as typed, never interpreted.
 *
 * The account (with its alias) and region sit right under the job's name in the body, not in the subject: the
 * subject must stay under 100 ASCII characters, and a long job name with a long transition already fills it, so an
 * alias there would push out the job name or the status. Mail rules can select on the `accountId` and `region`
 * attributes through a filter policy instead.
 */
export function renderEmail(
  event: NotifierEvent,
  options: RenderOptions = {},
  maxBytes: number = SNS_MAX_MESSAGE_BYTES,
): EmailMessage {
  if (isDigest(event)) return renderDigestEmail(event, options, maxBytes);
  const facts = factsOf(event, options);
  // A warning travels with eventType=JobWarning and no status: the email subscription's filter lets it through
  // on eventType (serverless/channels-resources.yml), and a rule on status never selects it.
  const attributes = attributesOf(event);
  const subject = isWarning(event) ? warningSubjectOf(event) : subjectOf(event);
  return fitFailureMessage(
    facts.failureMessage,
    (failure) => ({ subject, body: bodyOf(facts, failure), attributes }),
    (email) => messageBytes(email) + Buffer.byteLength(email.subject, "utf8") <= maxBytes,
  );
}

/** The email as the demo shows it: a subject line, a blank line, then the body. */
export function formatEmail(email: EmailMessage): string {
  return `Subject: ${email.subject}\n\n${email.body}`;
}
