import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const VARIABLES = ["SNAPSHOT_TABLE", "TOPIC_ARN", "AWS_REGION", "LOOKBACK_MINUTES", "FIRST_RUN"] as const;
const GOOD = {
  SNAPSHOT_TABLE: "bedrock-job-notifier-dev-SnapshotTable",
  TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-dev-events",
  AWS_REGION: "us-east-1",
};

/** Imports a handler as a cold start would, with this environment; resolves to the error it fails with. */
async function coldStart(path: string, env: Partial<Record<(typeof VARIABLES)[number], string>>): Promise<unknown> {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  vi.resetModules();
  try {
    await import(path);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("configuration, checked once at cold start", () => {
  const saved = { ...process.env };

  beforeEach(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = "true";
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  it("fails the poll function's cold start naming every missing variable at once", async () => {
    // Act
    const error = await coldStart("../../handlers/poll", {});

    // Assess
    expect(error).toMatchObject({
      name: "ConfigurationError",
      problems: [
        "SNAPSHOT_TABLE is required (a DynamoDB table name)",
        "TOPIC_ARN is required (an SNS topic ARN)",
        "AWS_REGION is required (an AWS region such as us-east-1)",
      ],
    });
  });

  it("fails the poll function's cold start naming every malformed variable and its value", async () => {
    // Act
    const error = await coldStart("../../handlers/poll", {
      SNAPSHOT_TABLE: "x",
      TOPIC_ARN: "bedrock-job-notifier-events",
      AWS_REGION: "Europe",
      LOOKBACK_MINUTES: "soon",
      FIRST_RUN: "always",
    });

    // Assess
    const message = (error as Error).message;
    for (const name of VARIABLES) expect(message).toContain(name);
    expect(message).toContain('TOPIC_ARN must be an SNS topic ARN, got "bedrock-job-notifier-events"');
    expect(message).toContain('LOOKBACK_MINUTES must be a whole number from 1 to 10080, got "soon"');
    expect(message).toContain('FIRST_RUN must be "baseline" or "notify", got "always"');
  });

  it.each(["../../handlers/on-bedrock-events", "../../handlers/poll-scope"])(
    "fails the cold start of %s the same way",
    async (path) => {
      // Act
      const error = await coldStart(path, { ...GOOD, LOOKBACK_MINUTES: "0" });

      // Assess
      expect(error).toMatchObject({
        name: "ConfigurationError",
        problems: ['LOOKBACK_MINUTES must be a whole number from 1 to 10080, got "0"'],
      });
    },
  );

  it("starts cleanly with a valid configuration", async () => {
    // Act
    const error = await coldStart("../../handlers/poll", GOOD);

    // Assess
    expect(error).toBeUndefined();
  });
});
