import { describe, expect, it } from "vitest";
import { parsePollConfig } from "../../src/config/poll-config";
import { DEFAULT_WARNING_THRESHOLDS } from "../../src/domain/warnings";
import { ConfigurationError } from "../../src/errors";

const validEnv = {
  SNAPSHOT_TABLE: "bedrock-job-notifier-dev-snapshot",
  TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bedrock-job-status",
  AWS_REGION: "us-east-1",
};

/** Runs the parser and returns the ConfigurationError it throws. */
function problemsOf(env: Record<string, string | undefined>): ConfigurationError {
  try {
    parsePollConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("parsePollConfig", () => {
  it("reads a valid environment and applies the defaults", () => {
    // Act
    const config = parsePollConfig(validEnv);

    // Assess
    expect(config).toEqual({
      snapshotTable: "bedrock-job-notifier-dev-snapshot",
      topicArn: "arn:aws:sns:us-east-1:123456789012:bedrock-job-status",
      region: "us-east-1",
      lookBackMinutes: 60,
      firstRun: "baseline",
      intervalMinutes: 5,
      deepReconcileHours: 24,
      estate: { regions: ["us-east-1"], accounts: ["123456789012"] },
      home: { accountId: "123456789012", region: "us-east-1" },
      memberRoleName: "bedrock-job-notifier-reader",
      partition: "aws",
      warnings: DEFAULT_WARNING_THRESHOLDS,
    });
  });

  it("reads the optional variables when given, trimming whitespace", () => {
    // Act
    const config = parsePollConfig({
      ...validEnv,
      SNAPSHOT_TABLE: "  snapshot  ",
      LOOKBACK_MINUTES: " 1440 ",
      FIRST_RUN: "notify",
    });

    // Assess
    expect(config).toMatchObject({ snapshotTable: "snapshot", lookBackMinutes: 1440, firstRun: "notify" });
  });

  it("accepts the look-back bounds, 1 minute and 7 days", () => {
    expect(parsePollConfig({ ...validEnv, LOOKBACK_MINUTES: "1" }).lookBackMinutes).toBe(1);
    expect(parsePollConfig({ ...validEnv, LOOKBACK_MINUTES: "10080" }).lookBackMinutes).toBe(10080);
  });

  it("treats empty optional variables as unset", () => {
    expect(parsePollConfig({ ...validEnv, LOOKBACK_MINUTES: "", FIRST_RUN: "  " })).toMatchObject({
      lookBackMinutes: 60,
      firstRun: "baseline",
    });
  });

  it("accepts topics and regions of other partitions", () => {
    // Act
    const config = parsePollConfig({
      ...validEnv,
      TOPIC_ARN: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:jobs",
      AWS_REGION: "us-gov-west-1",
    });

    // Assess
    expect(config).toMatchObject({ region: "us-gov-west-1" });
  });

  it.each([
    ["SNAPSHOT_TABLE", { SNAPSHOT_TABLE: undefined }, "SNAPSHOT_TABLE is required"],
    ["SNAPSHOT_TABLE", { SNAPSHOT_TABLE: "   " }, "SNAPSHOT_TABLE is required"],
    [
      "SNAPSHOT_TABLE",
      { SNAPSHOT_TABLE: "no spaces allowed" },
      'SNAPSHOT_TABLE must be a DynamoDB table name, got "no spaces allowed"',
    ],
    ["TOPIC_ARN", { TOPIC_ARN: undefined }, "TOPIC_ARN is required"],
    ["TOPIC_ARN", { TOPIC_ARN: "my-topic" }, 'TOPIC_ARN must be an SNS topic ARN, got "my-topic"'],
    ["TOPIC_ARN", { TOPIC_ARN: "arn:aws:sqs:us-east-1:123456789012:queue" }, "TOPIC_ARN must be an SNS topic ARN"],
    ["AWS_REGION", { AWS_REGION: undefined }, "AWS_REGION is required"],
    ["AWS_REGION", { AWS_REGION: "Virginia" }, 'AWS_REGION must be an AWS region such as us-east-1, got "Virginia"'],
    [
      "LOOKBACK_MINUTES",
      { LOOKBACK_MINUTES: "abc" },
      'LOOKBACK_MINUTES must be a whole number from 1 to 10080, got "abc"',
    ],
    ["LOOKBACK_MINUTES", { LOOKBACK_MINUTES: "0" }, 'got "0"'],
    ["LOOKBACK_MINUTES", { LOOKBACK_MINUTES: "99999" }, 'got "99999"'],
    ["LOOKBACK_MINUTES", { LOOKBACK_MINUTES: "-5" }, 'got "-5"'],
    ["LOOKBACK_MINUTES", { LOOKBACK_MINUTES: "2.5" }, 'got "2.5"'],
    ["FIRST_RUN", { FIRST_RUN: "sometimes" }, 'FIRST_RUN must be "baseline" or "notify", got "sometimes"'],
    ["FIRST_RUN", { FIRST_RUN: "Notify" }, 'got "Notify"'],
  ])("names %s when it is %o", (name, override, expected) => {
    // Act
    const error = problemsOf({ ...validEnv, ...override });

    // Assess
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(name);
    expect(error.problems[0]).toContain(expected);
    expect(error.message).toContain(expected);
    expect(error.name).toBe("ConfigurationError");
  });

  it("reports every bad variable in one ConfigurationError", () => {
    // Act
    const error = problemsOf({
      TOPIC_ARN: "nope",
      AWS_REGION: "us-east-1",
      LOOKBACK_MINUTES: "abc",
      FIRST_RUN: "sometimes",
    });

    // Assess
    expect(error.problems).toHaveLength(4);
    expect(error.problems.map((problem) => problem.split(" ")[0])).toEqual([
      "SNAPSHOT_TABLE",
      "TOPIC_ARN",
      "LOOKBACK_MINUTES",
      "FIRST_RUN",
    ]);
    expect(error.message).toMatch(
      /^Invalid configuration: SNAPSHOT_TABLE .*; TOPIC_ARN .*; LOOKBACK_MINUTES .*; FIRST_RUN /,
    );
  });

  it("reports an empty environment as three missing required variables", () => {
    // Act
    const error = problemsOf({});

    // Assess
    expect(error.problems).toEqual([
      "SNAPSHOT_TABLE is required (a DynamoDB table name)",
      "TOPIC_ARN is required (an SNS topic ARN)",
      "AWS_REGION is required (an AWS region such as us-east-1)",
    ]);
  });
});
