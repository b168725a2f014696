import { describe, expect, it } from "vitest";
import {
  buildDigestEvent,
  buildScopeDigest,
  emptyScopeDigest,
  OPEN_LISTED,
  reasonKey,
  SCOPES_LISTED,
  TOP_REASONS,
} from "../../src/domain/digest";
import type { BatchJob } from "../../src/domain/job";
import { messageBytes, SNS_MAX_MESSAGE_BYTES, toDigestMessage } from "../../src/domain/message";
import { aJob, at, minutes, T0 } from "../support/factories";

const HOUR = minutes(60);
const SCOPE = { accountId: "123456789012", region: "us-east-1" };
let ids = 0;
const job = (overrides: Partial<BatchJob>): BatchJob => aJob((++ids).toString(36), overrides);
const ended = (status: string, hoursAgo: number, overrides: Partial<BatchJob> = {}) =>
  job({
    status,
    submitTime: at(-(hoursAgo + 5) * HOUR),
    lastModifiedTime: at(-hoursAgo * HOUR),
    endTime: at(-hoursAgo * HOUR),
    ...overrides,
  });

describe("reasonKey", () => {
  it("groups failures that differ only in numbers, S3 URIs, ARNs and quoted values", () => {
    const a = reasonKey(
      'Validation failed for s3://in/a-2026-11.jsonl: record 1,042 is missing the required field "modelInput".',
    );
    const b = reasonKey('Validation failed for s3://in/b.jsonl: record 7 is missing the required field "x".');
    const c = reasonKey("Amazon Bedrock could not assume arn:aws:iam::123456789012:role/batch-1 for job 12.");
    const d = reasonKey("Amazon Bedrock could not assume arn:aws:iam::210987654321:role/other for job 3.");
    expect(a).toBe(b);
    expect(a).toBe('Validation failed for <uri>: record <n> is missing the required field "…".');
    expect(c).toBe("Amazon Bedrock could not assume <arn> for job <n>.");
    // Digits inside a word (s3:PutObject) are part of the word.
    expect(reasonKey("Bucket denied s3:PutObject to 2 roles.")).toBe("Bucket denied s3:PutObject to <n> roles.");
    expect(c).toBe(d);
    expect(a).not.toBe(c);
  });
});

describe("buildScopeDigest", () => {
  it("counts the jobs that finished in the last 24 h by status, with their records, and nothing older", () => {
    // Prepare
    const jobs = [
      ended("Completed", 2, { records: { total: 100, processed: 100, success: 100, error: 0 } }),
      ended("Completed", 23, { records: { total: 50, processed: 50, success: 48, error: 2 } }),
      ended("PartiallyCompleted", 5, { records: { total: 200, processed: 150, success: 140, error: 10 } }),
      ended("Completed", 25, { records: { total: 999, processed: 999, success: 999, error: 0 } }),
    ];

    // Act
    const digest = buildScopeDigest(SCOPE, jobs, [], T0);

    // Assess
    expect(digest.finished).toEqual({ Completed: 2, PartiallyCompleted: 1 });
    expect(digest.recordsProcessed).toBe(300);
    expect(digest.recordsFailed).toBe(12);
    expect(digest.scope).toBe("123456789012/us-east-1");
  });

  it("groups failures by reason, the top five, each with its count and one example", () => {
    // Prepare: six different reasons, one of them three times with different numbers.
    const failures = [
      ...[1, 2, 3].map((n) => ended("Failed", n, { message: `Throttled on ${n * 100} records.` })),
      ...["a", "b", "c", "d", "e"].map((reason, index) => ended("Failed", index + 4, { message: `Cause ${reason}` })),
    ];

    // Act
    const digest = buildScopeDigest(SCOPE, failures, [], T0);

    // Assess
    expect(digest.failureReasons).toHaveLength(TOP_REASONS);
    expect(digest.failureReasons[0]).toMatchObject({
      reason: "Throttled on <n> records.",
      count: 3,
      example: { message: "Throttled on 100 records." },
    });
    expect(digest.finished.Failed).toBe(8);
  });

  it("lists expired jobs, warnings sent in the period, and open jobs oldest first with their progress", () => {
    // Prepare
    const expired = ended("Expired", 3);
    const open = Array.from({ length: OPEN_LISTED + 2 }, (_, index) =>
      job({
        status: "InProgress",
        submitTime: at(-(index + 1) * HOUR),
        records: { total: 100, processed: 10, success: 9, error: 1 },
      }),
    );
    const warned = [{ StuckInStatus: at(-2 * HOUR), HighErrorRate: at(-30 * HOUR) }, { StuckInStatus: at(-1 * HOUR) }];

    // Act
    const digest = buildScopeDigest(SCOPE, [expired, ...open], warned, T0);

    // Assess
    expect(digest.expired).toEqual([
      { jobName: expired.jobName, jobArn: expired.jobArn, submitTime: expired.submitTime.toISOString() },
    ]);
    expect(digest.warnings).toEqual({ StuckInStatus: 2 });
    expect(digest.openCount).toBe(OPEN_LISTED + 2);
    expect(digest.open).toHaveLength(OPEN_LISTED);
    expect(digest.open[0]).toMatchObject({
      jobName: open.at(-1)?.jobName,
      ageHours: OPEN_LISTED + 2,
      processed: 10,
      total: 100,
      errorRate: 0.1,
    });
  });

  it("breaks the period down per model", () => {
    const jobs = [
      ended("Completed", 1, { modelId: "m-a", records: { total: 10, processed: 10, success: 10, error: 0 } }),
      ended("Failed", 2, { modelId: "m-b", message: "x" }),
      ended("Completed", 3, { modelId: "m-a", records: { total: 5, processed: 5, success: 4, error: 1 } }),
    ];
    expect(buildScopeDigest(SCOPE, jobs, [], T0).models).toEqual([
      { modelId: "m-a", finished: { Completed: 2 }, recordsProcessed: 15, recordsFailed: 1 },
      { modelId: "m-b", finished: { Failed: 1 }, recordsProcessed: 0, recordsFailed: 0 },
    ]);
  });

  it("counts no records from a job whose counts contradict each other", () => {
    const bad = ended("Completed", 1, { records: { total: 10, processed: 50, success: 0, error: 50 } });
    const digest = buildScopeDigest(SCOPE, [bad], [], T0);
    expect(digest).toMatchObject({ finished: { Completed: 1 }, recordsProcessed: 0, recordsFailed: 0 });
  });
});

describe("buildDigestEvent", () => {
  it("sums the scopes, lists the busiest and the unreadable first, leaves quiet ones out, and is an error when jobs failed", () => {
    // Prepare
    const busy = buildScopeDigest(SCOPE, [ended("Failed", 1, { message: "boom" }), ended("Completed", 2)], [], T0);
    const quiet = buildScopeDigest({ accountId: "210987654321", region: "us-east-1" }, [], [], T0);
    const unreadable = emptyScopeDigest(
      { accountId: "210987654321", region: "eu-west-1" },
      "MemberRoleError: the scope could not be read",
    );

    // Act
    const event = buildDigestEvent("deployment-a", [quiet, busy, unreadable], T0);

    // Assess
    expect(event).toMatchObject({
      type: "DailyDigest",
      schemaVersion: "1.1",
      severity: "error",
      period: { from: at(-24 * HOUR).toISOString(), to: T0.toISOString() },
      totals: { scopes: 3, finished: { Failed: 1, Completed: 1 }, open: 0, warnings: 0 },
      scopesOmitted: 0,
    });
    expect(event.scopes.map((scope) => scope.scope)).toEqual(["210987654321/eu-west-1", "123456789012/us-east-1"]);
  });

  it("has one id per deployment and day, whatever the time of the run", () => {
    const a = buildDigestEvent("deployment-a", [], T0).eventId;
    expect(buildDigestEvent("deployment-a", [], at(minutes(5))).eventId).toBe(a);
    expect(buildDigestEvent("deployment-b", [], T0).eventId).not.toBe(a);
    expect(buildDigestEvent("deployment-a", [], at(24 * HOUR)).eventId).not.toBe(a);
  });

  it("lists at most SCOPES_LISTED scopes and counts the rest", () => {
    const sections = Array.from({ length: SCOPES_LISTED + 3 }, (_, index) =>
      buildScopeDigest(
        { accountId: String(100000000000 + index), region: "us-east-1" },
        [ended("Completed", 1)],
        [],
        T0,
      ),
    );
    const event = buildDigestEvent("d", sections, T0);
    expect(event.scopes).toHaveLength(SCOPES_LISTED);
    expect(event.scopesOmitted).toBe(3);
  });
});

describe("toDigestMessage", () => {
  it("stays within the SNS limit however large, shortening examples, then listing fewer scopes", () => {
    // Prepare: 50 busy scopes, each with 5 reasons quoting 2,000-character messages.
    const sections = Array.from({ length: SCOPES_LISTED }, (_, index) =>
      buildScopeDigest(
        { accountId: String(100000000000 + index), region: "us-east-1" },
        Array.from({ length: 5 }, (_, reason) =>
          ended("Failed", 1, { message: `Reason ${"abcde"[reason]} ${"x".repeat(2000)}` }),
        ).concat(Array.from({ length: 12 }, () => job({ status: "InProgress", jobName: `open-${"y".repeat(55)}` }))),
        [],
        T0,
      ),
    );
    const event = buildDigestEvent("d", sections, T0);

    // Act
    const message = toDigestMessage(event);
    const body = JSON.parse(message.body);

    // Assess
    expect(messageBytes(message)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(body.scopes[0].failureReasons[0].example.message.length).toBeLessThanOrEqual(300);
    expect(body.scopes.length + body.scopesOmitted).toBe(SCOPES_LISTED);
    expect(message.attributes).toEqual({ eventType: "DailyDigest", severity: "error" });
    expect(message.subject).toBe("Bedrock batch jobs, daily digest 2025-03-01: 250 finished, 250 failed or expired");
  });
});
