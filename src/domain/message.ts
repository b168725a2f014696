import type { DailyDigestEvent } from "./digest";
import type { JobStatusEvent } from "./event";
import { attributesOf } from "./message-attributes";
import { isWarning, type JobEvent } from "./notifier-event";
import type { JobWarningEvent } from "./warning-event";

/** SNS limit for one message: body plus attribute names, types and values. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS subjects: ASCII, no line breaks, fewer than 100 characters; we keep a margin of one. */
export const SUBJECT_MAX = 99;
const TRUNCATION_MARK = " …[truncated]";

/** What a publisher sends for one event, independent of the transport. */
export interface OutboundMessage {
  /** The event id: unique within a batch, and the key a failure is reported under. */
  id: string;
  subject: string;
  body: string;
  /** String attributes for subscription filter policies; at most 10, so raw SQS delivery keeps them. */
  attributes: Record<string, string>;
}

/** Keeps only printable ASCII: SNS rejects anything else in a subject. */
function asciiLine(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, " ").trim();
}

const fitSubject = (subject: string): string =>
  subject.length <= SUBJECT_MAX ? subject : `${subject.slice(0, SUBJECT_MAX - 3)}...`;

export function subjectOf(event: JobStatusEvent): string {
  const from = event.previousStatus ?? "new";
  const label = event.severity === "info" ? "" : `[${event.severity.toUpperCase()}] `;
  return fitSubject(asciiLine(`${label}Bedrock batch job ${event.job.jobName}: ${from} -> ${event.job.status}`));
}

/** "[WARNING] Bedrock batch job nightly: HighErrorRate": the kind stays readable however long the name. */
export function warningSubjectOf(event: JobWarningEvent): string {
  const kind = `: ${event.warning.kind}`;
  const prefix = "[WARNING] Bedrock batch job ";
  const name = asciiLine(event.job.jobName);
  const room = SUBJECT_MAX - prefix.length - asciiLine(kind).length;
  const fitted = name.length <= room ? name : `${name.slice(0, Math.max(0, room - 3))}...`;
  return fitSubject(asciiLine(`${prefix}${fitted}${kind}`));
}

export function messageBytes(message: Pick<OutboundMessage, "body" | "attributes">): number {
  let bytes = Buffer.byteLength(message.body, "utf8");
  for (const [name, value] of Object.entries(message.attributes)) {
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength("String", "utf8") + Buffer.byteLength(value, "utf8");
  }
  return bytes;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  // The longest prefix within the limit; the byte length grows with the prefix, so a binary search finds it.
  let low = 0;
  let high = Math.min(text.length, Math.max(0, maxBytes));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(text.slice(0, mid), "utf8") <= maxBytes) low = mid;
    else high = mid - 1;
  }
  let end = low;
  // Do not leave half a surrogate pair behind.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * The event (a transition or a warning) as one SNS message. A message over the SNS limit is never dropped: the
 * failure message (the only unbounded member) is shortened and flagged so the event still arrives.
 */
export function toOutboundMessage(event: JobEvent, maxBytes: number = SNS_MAX_MESSAGE_BYTES): OutboundMessage {
  const attributes = attributesOf(event);
  const subject = isWarning(event) ? warningSubjectOf(event) : subjectOf(event);
  const whole: OutboundMessage = { id: event.eventId, subject, body: JSON.stringify(event), attributes };
  const excess = messageBytes(whole) - maxBytes;
  if (excess <= 0) return whole;

  const original = event.job.message ?? "";
  const shortened = (budget: number): OutboundMessage => {
    const message = `${truncateUtf8(original, budget)}${TRUNCATION_MARK}`;
    const fitted: JobEvent = { ...event, job: { ...event.job, message, messageTruncated: true } };
    return { ...whole, body: JSON.stringify(fitted) };
  };
  // JSON escaping makes a character cost 1 to 6 bytes in the body, so no estimate from the excess is reliable:
  // search for the longest prefix (in UTF-8 bytes of the message) whose event fits.
  let low = 0;
  let high = Buffer.byteLength(original, "utf8");
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (messageBytes(shortened(mid)) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return shortened(low);
}

/**
 * A warning as one SNS message: `eventType=JobWarning` and its kind, no status attribute. Its job is open, so it
 * rarely carries a failure message; when it does, the same fitting rule as transitions applies.
 */
export function toWarningMessage(event: JobWarningEvent, maxBytes: number = SNS_MAX_MESSAGE_BYTES): OutboundMessage {
  return toOutboundMessage(event, maxBytes);
}

/** The longest failure example a digest quotes: the digest summarises, the failure's own event has it whole. */
const DIGEST_EXAMPLE_CHARS = 300;

/** "Bedrock batch jobs, daily digest 2026-11-24: 6 finished, 4 failed or expired": the events and email subject. */
export function digestSubjectOf(event: DailyDigestEvent): string {
  const date = event.period.to.slice(0, 10);
  const failed = (event.totals.finished.Failed ?? 0) + (event.totals.finished.Expired ?? 0);
  const finished = Object.values(event.totals.finished).reduce((sum, count) => sum + count, 0);
  return fitSubject(
    asciiLine(`Bedrock batch jobs, daily digest ${date}: ${finished} finished, ${failed} failed or expired`),
  );
}

/**
 * The digest as one SNS message: `eventType=DailyDigest` and its severity as attributes. Kept within the SNS limit by
 * shortening the quoted failure examples, then by listing fewer scopes (the rest are counted in `scopesOmitted`).
 */
export function toDigestMessage(event: DailyDigestEvent, maxBytes: number = SNS_MAX_MESSAGE_BYTES): OutboundMessage {
  const subject = digestSubjectOf(event);
  const attributes = attributesOf(event);
  const shortened: DailyDigestEvent = {
    ...event,
    scopes: event.scopes.map((scope) => ({
      ...scope,
      failureReasons: scope.failureReasons.map((reason) => ({
        ...reason,
        example: { ...reason.example, message: truncateUtf8(reason.example.message, DIGEST_EXAMPLE_CHARS) },
      })),
    })),
  };
  const message = (digest: DailyDigestEvent): OutboundMessage => ({
    id: event.eventId,
    subject,
    body: JSON.stringify(digest),
    attributes,
  });
  let fitted = shortened;
  while (messageBytes(message(fitted)) > maxBytes && fitted.scopes.length > 0) {
    fitted = { ...fitted, scopes: fitted.scopes.slice(0, -1), scopesOmitted: fitted.scopesOmitted + 1 };
  }
  return message(fitted);
}
