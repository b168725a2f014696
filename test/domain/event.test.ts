import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildEvent, eventIdOf, SCHEMA_VERSION } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import { at, jobArnOf, minutes, T0 } from "../support/factories";

const schema = JSON.parse(readFileSync(new URL("../../schema/job-status-event.v1.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Validates against the published schema and returns its errors (empty when valid), for readable failures. */
const schemaErrors = (event: unknown): unknown[] => (validate(event) ? [] : [...(validate.errors ?? [])]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fullJob: BatchJob = {
  jobArn: "arn:aws:bedrock:eu-west-3:210987654321:model-invocation-job/k2j4h5g6f7d8",
  jobName: "nightly-summaries",
  modelId: "anthropic.claude-3-haiku-20240307-v1:0",
  status: "PartiallyCompleted",
  message: "2 records failed validation",
  submitTime: at(-minutes(120)),
  lastModifiedTime: at(-minutes(1)),
  endTime: at(-minutes(1)),
  jobExpirationTime: at(minutes(60 * 24)),
  timeoutDurationInHours: 24,
  modelInvocationType: "InvokeModel",
  records: { total: 100, processed: 100, success: 98, error: 2 },
  inputS3Uri: "s3://in-bucket/batch/input.jsonl",
  outputS3Uri: "s3://out-bucket/batch/",
};

const minimalJob: BatchJob = {
  jobArn: jobArnOf("min"),
  jobName: "m",
  modelId: "amazon.titan-text-lite-v1",
  status: "Submitted",
  submitTime: T0,
};

describe("buildEvent", () => {
  it("turns a fully described job into a valid event carrying every member", () => {
    // Act
    const event = buildEvent({ job: fullJob, previousStatus: "InProgress" }, T0);

    // Assess
    expect(schemaErrors(event)).toEqual([]);
    expect(event).toEqual({
      schemaVersion: SCHEMA_VERSION,
      eventId: eventIdOf(fullJob.jobArn, "InProgress", "PartiallyCompleted"),
      type: "JobStatusChanged",
      source: "bedrock-job-notifier",
      detectedAt: T0.toISOString(),
      previousStatus: "InProgress",
      severity: "warning",
      job: {
        jobArn: fullJob.jobArn,
        jobId: "k2j4h5g6f7d8",
        jobName: "nightly-summaries",
        modelId: "anthropic.claude-3-haiku-20240307-v1:0",
        status: "PartiallyCompleted",
        message: "2 records failed validation",
        submitTime: at(-minutes(120)).toISOString(),
        lastModifiedTime: at(-minutes(1)).toISOString(),
        endTime: at(-minutes(1)).toISOString(),
        jobExpirationTime: at(minutes(60 * 24)).toISOString(),
        timeoutDurationInHours: 24,
        modelInvocationType: "InvokeModel",
        records: { total: 100, processed: 100, success: 98, error: 2 },
        inputS3Uri: "s3://in-bucket/batch/input.jsonl",
        outputS3Uri: "s3://out-bucket/batch/",
        region: "eu-west-3",
        accountId: "210987654321",
      },
    });
  });

  it("turns a job with only the required members into a valid event with explicit nulls", () => {
    // Act
    const event = buildEvent({ job: minimalJob, previousStatus: "Submitted" }, T0);

    // Assess
    expect(schemaErrors(event)).toEqual([]);
    expect(event.job).toMatchObject({
      message: null,
      lastModifiedTime: null,
      endTime: null,
      jobExpirationTime: null,
      timeoutDurationInHours: null,
      modelInvocationType: null,
      records: { total: null, processed: null, success: null, error: null },
      inputS3Uri: null,
      outputS3Uri: null,
    });
    expect(event.job).not.toHaveProperty("messageTruncated");
  });

  it("announces a first sighting as JobDiscovered with previousStatus null", () => {
    // Act
    const event = buildEvent({ job: { ...minimalJob, status: "Failed" }, previousStatus: null }, T0);

    // Assess
    expect(schemaErrors(event)).toEqual([]);
    expect(event.type).toBe("JobDiscovered");
    expect(event.previousStatus).toBeNull();
    expect(event.severity).toBe("error");
  });

  it("passes an unknown status through as-is, both as the status and as the previous one", () => {
    // Act
    const to = buildEvent({ job: { ...minimalJob, status: "Archived" }, previousStatus: "InProgress" }, T0);
    const from = buildEvent({ job: { ...minimalJob, status: "Completed" }, previousStatus: "Archived" }, T0);

    // Assess
    expect(schemaErrors(to)).toEqual([]);
    expect(schemaErrors(from)).toEqual([]);
    expect(to.job.status).toBe("Archived");
    expect(to.severity).toBe("info");
    expect(from.previousStatus).toBe("Archived");
  });

  it("survives a JSON round trip unchanged and still valid (what a subscriber receives)", () => {
    // Prepare
    const event = buildEvent({ job: fullJob, previousStatus: "InProgress" }, T0);

    // Act
    const received = JSON.parse(JSON.stringify(event));

    // Assess
    expect(received).toEqual(event);
    expect(schemaErrors(received)).toEqual([]);
  });

  it("takes region and account id from the job ARN, in any AWS partition", () => {
    // Prepare
    const govJob = {
      ...minimalJob,
      jobArn: "arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:model-invocation-job/abc123def456",
    };

    // Act
    const event = buildEvent({ job: govJob, previousStatus: null }, T0);

    // Assess
    expect(event.job).toMatchObject({ region: "us-gov-west-1", accountId: "111122223333", jobId: "abc123def456" });
  });

  it("gives a job whose jobArn is not a batch job ARN null region, account and job id, and stays valid", () => {
    // Prepare
    const odd = { ...minimalJob, jobArn: "not-an-arn" };

    // Act
    const event = buildEvent({ job: odd, previousStatus: null }, T0);

    // Assess
    expect(event.job).toMatchObject({ jobArn: "not-an-arn", jobId: null, region: null, accountId: null });
    expect(schemaErrors(event)).toEqual([]);
  });
});

describe("eventIdOf", () => {
  it("is UUID-shaped and accepted by the schema pattern", () => {
    for (const [from, to] of [
      [null, "Submitted"],
      ["Submitted", "Completed"],
      ["Archived", "Failed"],
    ] as const) {
      expect(eventIdOf(fullJob.jobArn, from, to)).toMatch(UUID);
    }
  });

  it("gives the same id to the same transition, whatever its times and record counts", () => {
    // Prepare
    const first = buildEvent({ job: fullJob, previousStatus: "InProgress" }, T0);
    const later = {
      ...fullJob,
      lastModifiedTime: at(minutes(9)),
      endTime: at(minutes(9)),
      records: { total: 100, processed: 100, success: 97, error: 3 },
      message: "3 records failed",
    };

    // Act
    const resent = buildEvent({ job: later, previousStatus: "InProgress" }, at(minutes(10)));

    // Assess
    expect(resent.eventId).toBe(first.eventId);
    expect(resent.detectedAt).not.toBe(first.detectedAt);
  });

  it("gives different ids to different transitions of the same job", () => {
    // Prepare
    const arn = fullJob.jobArn;
    const ids = [
      eventIdOf(arn, null, "Submitted"),
      eventIdOf(arn, null, "InProgress"),
      eventIdOf(arn, "Submitted", "InProgress"),
      eventIdOf(arn, "InProgress", "Completed"),
      eventIdOf(arn, "Submitted", "Completed"),
      eventIdOf(arn, "InProgress", "Failed"),
    ];

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives the same transition of two different jobs different ids", () => {
    expect(eventIdOf(jobArnOf("a"), "InProgress", "Completed")).not.toBe(
      eventIdOf(jobArnOf("b"), "InProgress", "Completed"),
    );
  });

  it("gives a first sighting a different id from any change into the same status", () => {
    const firstSeen = eventIdOf(jobArnOf("a"), null, "Completed");
    for (const previous of ["Submitted", "InProgress", "Stopping", "Completed"]) {
      expect(eventIdOf(jobArnOf("a"), previous, "Completed")).not.toBe(firstSeen);
    }
  });
});

describe("the event schema", () => {
  it("rejects an event without eventId, so validation above can fail", () => {
    // Prepare
    const { eventId: _dropped, ...withoutId } = buildEvent({ job: fullJob, previousStatus: "InProgress" }, T0);

    // Act
    const valid = validate(withoutId);

    // Assess
    expect(valid).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: "required", params: { missingProperty: "eventId" } }),
      ]),
    );
  });

  it("rejects a malformed detectedAt, an unknown type and a negative record count", () => {
    // Prepare
    const event = buildEvent({ job: fullJob, previousStatus: "InProgress" }, T0);
    const broken = [
      { ...event, detectedAt: "yesterday" },
      { ...event, type: "JobDeleted" },
      { ...event, job: { ...event.job, records: { ...event.job.records, error: -1 } } },
      { ...event, job: { ...event.job, timeoutDurationInHours: 1.5 } },
      { ...event, eventId: "not-a-uuid" },
    ];

    // Act / Assess
    for (const candidate of broken) expect(validate(candidate)).toBe(false);
  });
});
