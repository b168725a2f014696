import { describe, expect, it } from "vitest";
import { parseBedrockJobEvent } from "../../src/domain/bedrock-event";
import { bedrockJobStateChange } from "../support/factories";

const ARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghwxyz";

/** The sample event from the Bedrock documentation (the factory's shape), with its name and model. */
const documentedSample = bedrockJobStateChange({
  jobArn: ARN,
  detail: {
    batchJobName: "dummy-batch-job-name",
    batchModelId: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0",
  },
});

describe("parseBedrockJobEvent", () => {
  it("reads the job ARN from the documented sample event", () => {
    expect(parseBedrockJobEvent(documentedSample)).toEqual({ ok: true, jobArn: ARN });
  });

  it("reads the ARN from resources when the detail lacks batchJobArn", () => {
    // Prepare
    const { batchJobArn: _dropped, ...detail } = documentedSample.detail;

    // Act / Assess
    expect(parseBedrockJobEvent({ ...documentedSample, detail })).toEqual({ ok: true, jobArn: ARN });
    expect(parseBedrockJobEvent({ ...documentedSample, detail: undefined })).toEqual({ ok: true, jobArn: ARN });
  });

  it("reads the ARN from the detail when resources is missing or empty", () => {
    expect(parseBedrockJobEvent({ ...documentedSample, resources: undefined })).toEqual({ ok: true, jobArn: ARN });
    expect(parseBedrockJobEvent({ ...documentedSample, resources: [] })).toEqual({ ok: true, jobArn: ARN });
  });

  it("falls back to resources when batchJobArn is not a batch job ARN", () => {
    // Act
    const result = parseBedrockJobEvent({
      ...documentedSample,
      detail: { ...documentedSample.detail, batchJobArn: 42 },
    });

    // Assess
    expect(result).toEqual({ ok: true, jobArn: ARN });
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "Batch Inference Job State Change"],
    ["a number", 7],
  ])("rejects %s as not an object", (_name, event) => {
    expect(parseBedrockJobEvent(event)).toEqual({ ok: false, reason: "event is not an object" });
  });

  it("rejects an event from another source, naming it", () => {
    // Act
    const result = parseBedrockJobEvent({ ...documentedSample, source: "aws.s3" });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'unexpected source "aws.s3"' });
  });

  it("rejects another Bedrock detail-type, naming it", () => {
    // Act
    const result = parseBedrockJobEvent({ ...documentedSample, "detail-type": "Model Customization Job State Change" });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'unexpected detail-type "Model Customization Job State Change"' });
  });

  it("rejects an event with no ARN anywhere", () => {
    // Act
    const result = parseBedrockJobEvent({ ...documentedSample, resources: [], detail: {} });

    // Assess
    expect(result).toEqual({ ok: false, reason: "no batch job ARN in detail.batchJobArn or resources" });
  });

  it.each([
    ["a model ARN", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0"],
    ["a bare job id", "abcdefghwxyz"],
    ["an ARN with an upper-case job id", "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/ABCDEFGHWXYZ"],
    ["an empty string", ""],
  ])("rejects %s in place of the job ARN", (_name, value) => {
    // Act
    const result = parseBedrockJobEvent({
      ...documentedSample,
      resources: [value],
      detail: { ...documentedSample.detail, batchJobArn: value },
    });

    // Assess
    expect(result.ok).toBe(false);
  });
});
