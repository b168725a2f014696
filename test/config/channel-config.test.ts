import { describe, expect, it } from "vitest";
import {
  parseChatConfig,
  parseEmailConfig,
  parseEventBridgeConfig,
  parseWebhookConfig,
} from "../../src/config/channel-config";
import { ConfigurationError } from "../../src/errors";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";

const problemsOf = (parse: () => unknown): readonly string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

describe("notify function configuration", () => {
  it("reads the email and chat topic ARNs, with no account aliases by default", () => {
    expect(parseEmailConfig({ EMAIL_TOPIC_ARN: TOPIC })).toEqual({ topicArn: TOPIC, accountAliases: new Map() });
    expect(parseChatConfig({ CHAT_TOPIC_ARN: ` ${TOPIC} `, ACCOUNT_ALIASES: "" })).toEqual({
      topicArn: TOPIC,
      accountAliases: new Map(),
    });
  });

  it("reads ACCOUNT_ALIASES for every people channel", () => {
    // Prepare
    const ACCOUNT_ALIASES = "123456789012:prod,210987654321:staging";
    const expected = new Map([
      ["123456789012", "prod"],
      ["210987654321", "staging"],
    ]);

    // Act
    const configs = [
      parseEmailConfig({ EMAIL_TOPIC_ARN: TOPIC, ACCOUNT_ALIASES }),
      parseChatConfig({ CHAT_TOPIC_ARN: TOPIC, ACCOUNT_ALIASES }),
      parseWebhookConfig({ WEBHOOK_FORMAT: "slack", WEBHOOK_URL_PARAMETER: "/slack-url", ACCOUNT_ALIASES }),
      parseWebhookConfig({ WEBHOOK_FORMAT: "teams", WEBHOOK_URL_PARAMETER: "/teams-url", ACCOUNT_ALIASES }),
    ];

    // Assess
    for (const config of configs) expect(config.accountAliases).toEqual(expected);
  });

  it.each([
    ["prod", 'ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "prod"'],
    ["12345:prod", 'ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "12345:prod"'],
    ["123456789012:<!channel>", "ACCOUNT_ALIASES must be a comma list"],
    ["123456789012:prod,123456789012:live", "ACCOUNT_ALIASES names account 123456789012 twice"],
  ])("names ACCOUNT_ALIASES when it is malformed (%s), with every other problem", (value, problem) => {
    // Act
    const problems = problemsOf(() => parseEmailConfig({ ACCOUNT_ALIASES: value }));

    // Assess
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe("EMAIL_TOPIC_ARN is required (an SNS topic ARN)");
    expect(problems[1]).toContain(problem);
  });

  it("names the missing topic variable", () => {
    expect(problemsOf(() => parseEmailConfig({}))).toEqual(["EMAIL_TOPIC_ARN is required (an SNS topic ARN)"]);
  });

  it("reads a webhook configuration with its defaults", () => {
    // Act
    const config = parseWebhookConfig({
      WEBHOOK_FORMAT: "teams",
      WEBHOOK_URL_PARAMETER: "/aws/reference/secretsmanager/teams-url",
    });

    // Assess
    expect(config).toEqual({
      format: "teams",
      urlParameterName: "/aws/reference/secretsmanager/teams-url",
      timeoutMs: 5000,
      secretCacheMs: 300_000,
      allowedHosts: ["*.logic.azure.com", "*.environment.api.powerplatform.com", "*.webhook.office.com"],
      accountAliases: new Map(),
    });
  });

  it("takes the allowed hosts from WEBHOOK_ALLOWED_HOSTS, and names a bad pattern", () => {
    // Act
    const config = parseWebhookConfig({
      WEBHOOK_FORMAT: "slack",
      WEBHOOK_URL_PARAMETER: "/slack-url",
      WEBHOOK_ALLOWED_HOSTS: " hooks.slack.com, *.Example.com ",
    });
    const bad = () =>
      parseWebhookConfig({ WEBHOOK_FORMAT: "slack", WEBHOOK_URL_PARAMETER: "/s", WEBHOOK_ALLOWED_HOSTS: "a b,*.*.x" });

    // Assess
    expect(config.allowedHosts).toEqual(["hooks.slack.com", "*.example.com"]);
    expect(bad).toThrow(
      'WEBHOOK_ALLOWED_HOSTS must be a comma list of host names or *.domain patterns, got "a b, *.*.x"',
    );
  });

  it("reports every bad webhook variable at once", () => {
    // Act
    const problems = problemsOf(() =>
      parseWebhookConfig({
        WEBHOOK_FORMAT: "discord",
        WEBHOOK_URL_PARAMETER: "https://hooks.slack.com/x",
        WEBHOOK_TIMEOUT_MS: "0",
      }),
    );

    // Assess
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("WEBHOOK_FORMAT");
    expect(problems[1]).toContain("WEBHOOK_URL_PARAMETER");
    expect(problems[1]).not.toContain("hooks.slack.com");
    expect(problems[2]).toContain("WEBHOOK_TIMEOUT_MS");
  });

  it("reads the event bus and refuses a source reserved for AWS", () => {
    expect(parseEventBridgeConfig({ EVENT_BUS_NAME: "bedrock-jobs" })).toEqual({
      eventBusName: "bedrock-jobs",
      source: "bedrock-job-notifier",
    });
    expect(problemsOf(() => parseEventBridgeConfig({ EVENT_BUS_NAME: "b", EVENT_SOURCE: "aws.bedrock" }))).toEqual([
      'EVENT_SOURCE must not start with "aws.", got "aws.bedrock"',
    ]);
  });
});
