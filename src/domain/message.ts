import type { JobStatusEvent } from "./event";

/** SNS limit for one message: body plus attribute names, types and values. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS subjects: ASCII, no line breaks, at most 100 characters. */
const SUBJECT_MAX = 100;
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

export function messageAttributes(event: JobStatusEvent): Record<string, string> {
  return {
    status: event.job.status,
    // SNS rejects empty attribute values; "none" lets a filter policy select first sightings.
    previousStatus: event.previousStatus ?? "none",
    jobName: event.job.jobName,
    modelId: event.job.modelId,
    severity: event.severity,
    eventType: event.type,
  };
}

/** Keeps only printable ASCII: SNS rejects anything else in a subject. */
function asciiLine(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, " ").trim();
}

export function subjectOf(event: JobStatusEvent): string {
  const from = event.previousStatus ?? "new";
  const label = event.severity === "info" ? "" : `[${event.severity.toUpperCase()}] `;
  const subject = asciiLine(`${label}Bedrock batch job ${event.job.jobName}: ${from} -> ${event.job.status}`);
  return subject.length <= SUBJECT_MAX ? subject : `${subject.slice(0, SUBJECT_MAX - 3)}...`;
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
  let end = Math.min(text.length, maxBytes);
  while (end > 0 && Buffer.byteLength(text.slice(0, end), "utf8") > maxBytes) end--;
  // Do not leave half a surrogate pair behind.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * The event as one SNS message. A message over the SNS limit is never dropped: the failure message (the
 * only unbounded member) is shortened and flagged so the event still arrives.
 */
export function toOutboundMessage(event: JobStatusEvent, maxBytes: number = SNS_MAX_MESSAGE_BYTES): OutboundMessage {
  const attributes = messageAttributes(event);
  const subject = subjectOf(event);
  const whole: OutboundMessage = { id: event.eventId, subject, body: JSON.stringify(event), attributes };
  const excess = messageBytes(whole) - maxBytes;
  if (excess <= 0) return whole;

  const original = event.job.message ?? "";
  // JSON escaping can make a character cost up to 6 bytes in the body; shrink until it fits.
  let budget = Buffer.byteLength(original, "utf8") - excess - Buffer.byteLength(TRUNCATION_MARK, "utf8");
  for (;;) {
    const message = `${truncateUtf8(original, Math.max(0, budget))}${TRUNCATION_MARK}`;
    const fitted: JobStatusEvent = { ...event, job: { ...event.job, message, messageTruncated: true } };
    const candidate: OutboundMessage = { ...whole, body: JSON.stringify(fitted) };
    const over = messageBytes(candidate) - maxBytes;
    if (over <= 0 || budget <= 0) return candidate;
    budget -= over;
  }
}
