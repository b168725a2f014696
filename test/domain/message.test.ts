import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildEvent, type JobStatusEvent } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import {
  messageBytes,
  SNS_MAX_MESSAGE_BYTES,
  subjectOf,
  toOutboundMessage,
  truncateUtf8,
} from "../../src/domain/message";
import { messageAttributes } from "../../src/domain/message-attributes";
import type { JobStatus } from "../../src/domain/status";
import { aJob, T0 } from "../support/factories";

const schema = JSON.parse(readFileSync(new URL("../../schema/job-status-event.v1.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const eventFor = (job: Partial<BatchJob>, previousStatus: JobStatus | null = "InProgress"): JobStatusEvent =>
  buildEvent({ job: aJob("a", { status: "Failed", ...job }), previousStatus }, T0);

const isLoneSurrogate = (text: string): boolean =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe("messageAttributes", () => {
  it("gives eight non-empty String attributes a filter policy can select on, the job's account and region among them", () => {
    // Act
    const attributes = messageAttributes(eventFor({ jobName: "nightly", modelId: "m1" }, "InProgress"));

    // Assess
    expect(attributes).toEqual({
      status: "Failed",
      previousStatus: "InProgress",
      jobName: "nightly",
      modelId: "m1",
      severity: "error",
      eventType: "JobStatusChanged",
      accountId: "123456789012",
      region: "us-east-1",
    });
    for (const value of Object.values(attributes)) expect(value).toMatch(/\S/);
  });

  it('uses "none" as previousStatus for a first sighting, since SNS rejects empty values', () => {
    // Act
    const attributes = messageAttributes(eventFor({ status: "Submitted" }, null));

    // Assess
    expect(attributes.previousStatus).toBe("none");
    expect(attributes.eventType).toBe("JobDiscovered");
    expect(Object.keys(attributes)).toHaveLength(8);
  });
});

describe("subjectOf", () => {
  it("names the job and the transition, and flags errors and warnings", () => {
    expect(subjectOf(eventFor({ jobName: "nightly", status: "Failed" }, "InProgress"))).toBe(
      "[ERROR] Bedrock batch job nightly: InProgress -> Failed",
    );
    expect(subjectOf(eventFor({ jobName: "nightly", status: "Stopped" }, "Stopping"))).toBe(
      "[WARNING] Bedrock batch job nightly: Stopping -> Stopped",
    );
    expect(subjectOf(eventFor({ jobName: "nightly", status: "Submitted" }, null))).toBe(
      "Bedrock batch job nightly: new -> Submitted",
    );
  });

  it("stays printable ASCII within 99 characters (a margin under SNS's 100) for a long job name", () => {
    // Prepare: the longest name Bedrock allows is 1 + 63×2 characters; go further still.
    const jobName = `a${"-b".repeat(200)}`;

    // Act
    const subject = subjectOf(eventFor({ jobName }));

    // Assess
    expect(subject.length).toBe(99);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith("...")).toBe(true);
  });

  it("replaces non-ASCII and control characters of a job name, never producing line breaks", () => {
    // Prepare
    const jobName = "résumé\n日本語\t😀-job";

    // Act
    const subject = subjectOf(eventFor({ jobName, status: "Completed" }, "InProgress"));

    // Assess
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toContain("-job");
    expect(subject.length).toBeLessThanOrEqual(100);
  });

  it("stays within 100 characters for a long unicode job name and an unknown status", () => {
    // Act
    const subject = subjectOf(eventFor({ jobName: "漢字".repeat(80), status: `Archived${"X".repeat(80)}` }));

    // Assess
    expect(subject.length).toBe(99);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("toOutboundMessage", () => {
  it("sends a 2,048-character failure message (Bedrock's maximum) untouched", () => {
    // Prepare
    const message = "x".repeat(2048);
    const event = eventFor({ message });

    // Act
    const outbound = toOutboundMessage(event);

    // Assess
    expect(outbound.id).toBe(event.eventId);
    expect(JSON.parse(outbound.body)).toEqual(event);
    expect(JSON.parse(outbound.body).job).not.toHaveProperty("messageTruncated");
    expect(outbound.subject).toBe(subjectOf(event));
    expect(outbound.attributes).toEqual(messageAttributes(event));
  });

  it.each([
    ["300 KB of ASCII", "a".repeat(300 * 1024)],
    ["multi-byte CJK characters", "漢字テスト".repeat(25_000)],
    ["emoji (surrogate pairs)", "😀🚀".repeat(40_000)],
    ["characters JSON must escape", `"\\\u0001\n\t</>`.repeat(40_000)],
    ["only double quotes", '"'.repeat(300_000)],
  ])("shortens a failure message of %s to fit SNS, flags it and keeps it valid", (_name, message) => {
    // Prepare
    const event = eventFor({ message });

    // Act
    const outbound = toOutboundMessage(event);

    // Assess
    expect(messageBytes(outbound)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const received = JSON.parse(outbound.body);
    expect(validate(received), JSON.stringify(validate.errors)).toBe(true);
    expect(received.job.messageTruncated).toBe(true);
    expect(received.job.message.endsWith(" …[truncated]")).toBe(true);
    const kept = received.job.message.slice(0, -" …[truncated]".length);
    expect(message.startsWith(kept)).toBe(true);
    expect(isLoneSurrogate(received.job.message)).toBe(false);
    // Everything else is untouched, so the event id still identifies the transition.
    expect({ ...received, job: { ...received.job, message: null, messageTruncated: undefined } }).toEqual(
      JSON.parse(JSON.stringify({ ...event, job: { ...event.job, message: null } })),
    );
    // The message is shortened, not emptied: the result uses nearly all of what SNS allows.
    expect(messageBytes(outbound)).toBeGreaterThan(SNS_MAX_MESSAGE_BYTES - 64);
  });

  it("fits a smaller limit given by the caller (an EventBridge entry, say)", () => {
    // Prepare
    const event = eventFor({ message: "é".repeat(10_000) });

    // Act
    const outbound = toOutboundMessage(event, 4096);

    // Assess
    expect(messageBytes(outbound)).toBeLessThanOrEqual(4096);
    expect(messageBytes(outbound)).toBeGreaterThan(4096 - 64);
    expect(JSON.parse(outbound.body).job.messageTruncated).toBe(true);
  });

  it("shortens a huge message quickly (no quadratic work on multi-byte text)", () => {
    // Prepare
    const event = eventFor({ message: "😀".repeat(150_000) });
    const started = performance.now();

    // Act
    toOutboundMessage(event);

    // Assess
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("truncateUtf8", () => {
  it("returns text that already fits unchanged", () => {
    expect(truncateUtf8("héllo", 6)).toBe("héllo");
    expect(truncateUtf8("", 0)).toBe("");
  });

  it("cuts ASCII at exactly the byte limit", () => {
    expect(truncateUtf8("abcdef", 4)).toBe("abcd");
  });

  it("never cuts a multi-byte character in half", () => {
    // "é" is 2 bytes, "漢" 3.
    expect(truncateUtf8("aé", 2)).toBe("a");
    expect(truncateUtf8("漢漢", 5)).toBe("漢");
    expect(truncateUtf8("漢", 2)).toBe("");
  });

  it("never splits a surrogate pair, at any limit", () => {
    // Prepare: mixed 1-, 2-, 3- and 4-byte characters.
    const text = "a😀é😀漢😀b".repeat(3);
    const bytes = Buffer.byteLength(text, "utf8");

    for (let limit = 0; limit <= bytes; limit++) {
      // Act
      const cut = truncateUtf8(text, limit);

      // Assess
      expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(limit);
      expect(isLoneSurrogate(cut), `limit ${limit}`).toBe(false);
      expect(text.startsWith(cut)).toBe(true);
      // The longest such prefix: one more character would not fit.
      const next = String.fromCodePoint(text.codePointAt(cut.length) ?? 0);
      if (cut.length < text.length) expect(Buffer.byteLength(cut + next, "utf8")).toBeGreaterThan(limit);
    }
  });

  it("returns empty text for a zero or negative limit", () => {
    expect(truncateUtf8("😀", 3)).toBe("");
    expect(truncateUtf8("abc", 0)).toBe("");
    expect(truncateUtf8("abc", -5)).toBe("");
  });
});
