import type { ModelInvocationJobSummary } from "@aws-sdk/client-bedrock";
import { describe, expect, it } from "vitest";
import { parseJobSummary } from "../../src/adapters/job-summary";

const ARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghwxyz";

const fullSummary: ModelInvocationJobSummary = {
  jobArn: ARN,
  jobName: "nightly-summaries",
  modelId: "anthropic.claude-3-haiku-20240307-v1:0",
  clientRequestToken: "token-1",
  roleArn: "arn:aws:iam::123456789012:role/bedrock-batch",
  status: "PartiallyCompleted",
  message: "2 records failed",
  submitTime: new Date("2025-03-01T10:00:00.000Z"),
  lastModifiedTime: new Date("2025-03-01T11:00:00.000Z"),
  endTime: new Date("2025-03-01T11:00:00.000Z"),
  inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://in/input.jsonl", s3InputFormat: "JSONL" } },
  outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://out/", s3EncryptionKeyId: "key" } },
  vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
  timeoutDurationInHours: 24,
  jobExpirationTime: new Date("2025-03-02T10:00:00.000Z"),
  modelInvocationType: "Converse",
  totalRecordCount: 100,
  processedRecordCount: 100,
  successRecordCount: 98,
  errorRecordCount: 2,
};

describe("parseJobSummary", () => {
  it("turns a full summary into a job with every member the notifier uses", () => {
    // Act
    const parsed = parseJobSummary(fullSummary);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      job: {
        jobArn: ARN,
        jobName: "nightly-summaries",
        modelId: "anthropic.claude-3-haiku-20240307-v1:0",
        status: "PartiallyCompleted",
        message: "2 records failed",
        submitTime: new Date("2025-03-01T10:00:00.000Z"),
        lastModifiedTime: new Date("2025-03-01T11:00:00.000Z"),
        endTime: new Date("2025-03-01T11:00:00.000Z"),
        jobExpirationTime: new Date("2025-03-02T10:00:00.000Z"),
        timeoutDurationInHours: 24,
        modelInvocationType: "Converse",
        records: { total: 100, processed: 100, success: 98, error: 2 },
        inputS3Uri: "s3://in/input.jsonl",
        outputS3Uri: "s3://out/",
      },
    });
  });

  it("keeps only the required members of a minimal summary, with no empty records object", () => {
    // Act
    const parsed = parseJobSummary({
      jobArn: ARN,
      jobName: "j",
      modelId: "m",
      status: "Submitted",
      submitTime: new Date("2025-03-01T10:00:00.000Z"),
    });

    // Assess
    expect(parsed).toEqual({
      ok: true,
      job: {
        jobArn: ARN,
        jobName: "j",
        modelId: "m",
        status: "Submitted",
        submitTime: new Date("2025-03-01T10:00:00.000Z"),
      },
    });
  });

  it.each(["jobArn", "jobName", "modelId", "status", "submitTime"] as const)(
    "rejects a summary without %s, naming it",
    (member) => {
      // Prepare
      const { [member]: _dropped, ...summary } = fullSummary;

      // Act
      const parsed = parseJobSummary(summary);

      // Assess
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.reason).toBe(`missing or invalid ${member}`);
      if (member === "jobArn") expect(parsed).not.toHaveProperty("jobArn");
      else expect(parsed.jobArn).toBe(ARN);
    },
  );

  it("rejects empty strings and an invalid date as missing", () => {
    // Act
    const parsed = parseJobSummary({
      ...fullSummary,
      jobName: "",
      status: "" as never,
      submitTime: new Date("not a date"),
    });

    // Assess
    expect(parsed).toEqual({ ok: false, reason: "missing or invalid jobName, status, submitTime", jobArn: ARN });
  });

  it("names every missing member at once", () => {
    // Act
    const parsed = parseJobSummary({});

    // Assess
    expect(parsed).toEqual({ ok: false, reason: "missing or invalid jobArn, jobName, modelId, status, submitTime" });
  });

  it("never puts the failure message in the reason of a rejected summary", () => {
    // Act
    const parsed = parseJobSummary({ ...fullSummary, jobName: undefined, message: "customer data: SSN 123" });

    // Assess
    expect(JSON.stringify(parsed)).not.toContain("SSN");
  });

  it("drops optional members of the wrong type instead of failing", () => {
    // Prepare: what a broken or future API could send; the SDK does not check types.
    const summary = {
      ...fullSummary,
      message: 42,
      lastModifiedTime: "2025-03-01T11:00:00Z",
      endTime: new Date("garbage"),
      jobExpirationTime: 1740000000,
      timeoutDurationInHours: "24",
      modelInvocationType: "",
      totalRecordCount: -1,
      processedRecordCount: Number.NaN,
      successRecordCount: "98",
      errorRecordCount: Number.POSITIVE_INFINITY,
      inputDataConfig: { s3InputDataConfig: { s3Uri: 7 } },
      outputDataConfig: {},
    } as unknown as ModelInvocationJobSummary;

    // Act
    const parsed = parseJobSummary(summary);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      job: {
        jobArn: ARN,
        jobName: "nightly-summaries",
        modelId: "anthropic.claude-3-haiku-20240307-v1:0",
        status: "PartiallyCompleted",
        submitTime: new Date("2025-03-01T10:00:00.000Z"),
      },
    });
  });

  it("drops fractional counts and timeouts, which the event schema declares as integers", () => {
    // Act
    const parsed = parseJobSummary({ ...fullSummary, timeoutDurationInHours: 24.5, errorRecordCount: 1.5 });

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.job.timeoutDurationInHours).toBeUndefined();
    expect(parsed.job.records).toEqual({ total: 100, processed: 100, success: 98 });
  });

  it("keeps zero counts", () => {
    // Act
    const parsed = parseJobSummary({
      ...fullSummary,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
    });

    // Assess
    expect(parsed.ok && parsed.job.records).toEqual({ total: 100, processed: 0, success: 0, error: 0 });
  });

  it("drops an empty failure message", () => {
    // Act
    const parsed = parseJobSummary({ ...fullSummary, message: "" });

    // Assess
    expect(parsed.ok && parsed.job).not.toHaveProperty("message");
  });

  it("keeps an unknown (future) status as-is", () => {
    // Act
    const parsed = parseJobSummary({ ...fullSummary, status: "Archived" as never });

    // Assess
    expect(parsed.ok && parsed.job.status).toBe("Archived");
  });
});
