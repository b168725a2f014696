import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const VARIABLES = ["SNAPSHOT_TABLE", "TOPIC_ARN", "AWS_REGION", "LOOKBACK_MINUTES", "FIRST_RUN"] as const;
const GOOD = {
  SNAPSHOT_TABLE: "bedrock-job-notifier-dev-SnapshotTable",
  TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-dev-events",
  AWS_REGION: "us-east-1",
};

/** What the notify functions read (serverless/channels-functions.yml). */
const NOTIFY_VARIABLES = [
  "EMAIL_TOPIC_ARN",
  "CHAT_TOPIC_ARN",
  "WEBHOOK_FORMAT",
  "WEBHOOK_URL_PARAMETER",
  "ACCOUNT_ALIASES",
  "DELIVERY_TABLE",
] as const;
type Variable = (typeof VARIABLES)[number] | (typeof NOTIFY_VARIABLES)[number];

/** Imports a handler as a cold start would, with this environment; resolves to the error it fails with. */
async function coldStart(path: string, env: Partial<Record<Variable, string>>): Promise<unknown> {
  for (const name of [...VARIABLES, ...NOTIFY_VARIABLES]) delete process.env[name];
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

  const DELIVERY_TABLE = "bedrock-job-notifier-dev-NotifyDeliveryTable-ABC123";
  const NOTIFY_FUNCTIONS = [
    [
      "../../handlers/notify-email",
      { EMAIL_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:notifier-email", DELIVERY_TABLE },
    ],
    [
      "../../handlers/notify-chat",
      { CHAT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:notifier-chat", DELIVERY_TABLE },
    ],
    [
      "../../handlers/notify-webhook",
      { WEBHOOK_FORMAT: "slack", WEBHOOK_URL_PARAMETER: "/notifier/slack-url", DELIVERY_TABLE },
    ],
    [
      "../../handlers/notify-webhook",
      { WEBHOOK_FORMAT: "teams", WEBHOOK_URL_PARAMETER: "/notifier/teams-url", DELIVERY_TABLE },
    ],
  ] as const;

  it.each(NOTIFY_FUNCTIONS)("fails the cold start of %s naming a malformed ACCOUNT_ALIASES", async (path, env) => {
    // Act
    const error = await coldStart(path, { ...env, AWS_REGION: "us-east-1", ACCOUNT_ALIASES: "prod=123456789012" });

    // Assess
    expect(error).toMatchObject({
      name: "ConfigurationError",
      problems: ['ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "prod=123456789012"'],
    });
    expect((error as Error).message).toContain("ACCOUNT_ALIASES");
  });

  it.each(NOTIFY_FUNCTIONS)("starts %s cleanly with account aliases, or with none", async (path, env) => {
    // Act
    const withAliases = await coldStart(path, {
      ...env,
      AWS_REGION: "us-east-1",
      ACCOUNT_ALIASES: "123456789012:prod,210987654321:staging",
    });
    const without = await coldStart(path, { ...env, AWS_REGION: "us-east-1", ACCOUNT_ALIASES: "" });

    // Assess
    expect(withAliases).toBeUndefined();
    expect(without).toBeUndefined();
  });

  it("starts cleanly with a valid configuration", async () => {
    // Act
    const error = await coldStart("../../handlers/poll", GOOD);

    // Assess
    expect(error).toBeUndefined();
  });
});
