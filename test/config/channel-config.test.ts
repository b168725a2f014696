import { describe, expect, it } from "vitest";
import {
  parseChatConfig,
  parseEmailConfig,
  parseEventBridgeConfig,
  parseWebhookConfig,
} from "../../src/config/channel-config";
import { ConfigurationError } from "../../src/errors";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";
/** What every people channel needs besides its destination: where it records its deliveries. */
const DELIVERY = { DELIVERY_TABLE: "bedrock-job-notifier-dev-NotifyDeliveryTable-ABC123" };
const DEFAULT_DELIVERY = { tableName: DELIVERY.DELIVERY_TABLE, ttlHours: 24 };

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
    expect(parseEmailConfig({ EMAIL_TOPIC_ARN: TOPIC, ...DELIVERY })).toEqual({
      topicArn: TOPIC,
      accountAliases: new Map(),
      delivery: DEFAULT_DELIVERY,
    });
    expect(parseChatConfig({ CHAT_TOPIC_ARN: ` ${TOPIC} `, ACCOUNT_ALIASES: "", ...DELIVERY })).toEqual({
      topicArn: TOPIC,
      accountAliases: new Map(),
      delivery: DEFAULT_DELIVERY,
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
      parseEmailConfig({ EMAIL_TOPIC_ARN: TOPIC, ACCOUNT_ALIASES, ...DELIVERY }),
      parseChatConfig({ CHAT_TOPIC_ARN: TOPIC, ACCOUNT_ALIASES, ...DELIVERY }),
      parseWebhookConfig({
        WEBHOOK_FORMAT: "slack",
        WEBHOOK_URL_PARAMETER: "/slack-url",
        ACCOUNT_ALIASES,
        ...DELIVERY,
      }),
      parseWebhookConfig({
        WEBHOOK_FORMAT: "teams",
        WEBHOOK_URL_PARAMETER: "/teams-url",
        ACCOUNT_ALIASES,
        ...DELIVERY,
      }),
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
    const problems = problemsOf(() => parseEmailConfig({ ACCOUNT_ALIASES: value, ...DELIVERY }));

    // Assess
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe("EMAIL_TOPIC_ARN is required (an SNS topic ARN)");
    expect(problems[1]).toContain(problem);
  });

  it("names the missing topic and delivery table variables", () => {
    expect(problemsOf(() => parseEmailConfig({}))).toEqual([
      "EMAIL_TOPIC_ARN is required (an SNS topic ARN)",
      "DELIVERY_TABLE is required (a DynamoDB table name)",
    ]);
  });

  it.each([
    ["email", (env: Record<string, string>) => parseEmailConfig({ EMAIL_TOPIC_ARN: TOPIC, ...env })],
    ["chat", (env: Record<string, string>) => parseChatConfig({ CHAT_TOPIC_ARN: TOPIC, ...env })],
    [
      "slack",
      (env: Record<string, string>) =>
        parseWebhookConfig({ WEBHOOK_FORMAT: "slack", WEBHOOK_URL_PARAMETER: "/s", ...env }),
    ],
    [
      "teams",
      (env: Record<string, string>) =>
        parseWebhookConfig({ WEBHOOK_FORMAT: "teams", WEBHOOK_URL_PARAMETER: "/t", ...env }),
    ],
  ])("reads where %s records its deliveries, and refuses a TTL shorter than Lambda's 6 h retry horizon", (_, parse) => {
    // Act
    const config = parse({ ...DELIVERY, DELIVERY_TTL_HOURS: "48" });
    const tooShort = problemsOf(() => parse({ ...DELIVERY, DELIVERY_TTL_HOURS: "6" }));
    const badTable = problemsOf(() => parse({ DELIVERY_TABLE: "no spaces allowed" }));

    // Assess
    expect(config.delivery).toEqual({ tableName: DELIVERY.DELIVERY_TABLE, ttlHours: 48 });
    expect(tooShort).toEqual(['DELIVERY_TTL_HOURS must be a whole number from 7 to 720, got "6"']);
    expect(badTable).toEqual(['DELIVERY_TABLE must be a DynamoDB table name, got "no spaces allowed"']);
  });

  it("reads a webhook configuration with its defaults", () => {
    // Act
    const config = parseWebhookConfig({
      WEBHOOK_FORMAT: "teams",
      WEBHOOK_URL_PARAMETER: "/aws/reference/secretsmanager/teams-url",
      ...DELIVERY,
    });

    // Assess
    expect(config).toEqual({
      format: "teams",
      urlParameterName: "/aws/reference/secretsmanager/teams-url",
      timeoutMs: 5000,
      // Slack's one message a second, for Teams as well: Microsoft documents no figure for Workflows webhooks.
      minIntervalMs: 1000,
      secretCacheMs: 300_000,
      allowedHosts: ["*.logic.azure.com", "*.environment.api.powerplatform.com", "*.webhook.office.com"],
      accountAliases: new Map(),
      delivery: DEFAULT_DELIVERY,
    });
  });

  it("takes the allowed hosts from WEBHOOK_ALLOWED_HOSTS, and names a bad pattern", () => {
    // Act
    const config = parseWebhookConfig({
      WEBHOOK_FORMAT: "slack",
      WEBHOOK_URL_PARAMETER: "/slack-url",
      WEBHOOK_ALLOWED_HOSTS: " hooks.slack.com, *.Example.com ",
      ...DELIVERY,
    });
    const bad = () =>
      parseWebhookConfig({
        WEBHOOK_FORMAT: "slack",
        WEBHOOK_URL_PARAMETER: "/s",
        WEBHOOK_ALLOWED_HOSTS: "a b,*.*.x",
        ...DELIVERY,
      });

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
        WEBHOOK_MIN_INTERVAL_MS: "-1",
      }),
    );

    // Assess
    expect(problems).toHaveLength(5);
    expect(problems[0]).toContain("WEBHOOK_FORMAT");
    expect(problems[1]).toContain("WEBHOOK_URL_PARAMETER");
    expect(problems[1]).not.toContain("hooks.slack.com");
    expect(problems[2]).toContain("WEBHOOK_TIMEOUT_MS");
    expect(problems[3]).toBe('WEBHOOK_MIN_INTERVAL_MS must be a whole number from 0 to 60000, got "-1"');
    expect(problems[4]).toContain("DELIVERY_TABLE is required");
  });

  it("reads EventBridge routes (EVENTBRIDGE_ROUTES) instead of EVENT_BUS_NAME, and refuses a bad bus", () => {
    const routes = [
      { name: "pipelines", target: "bedrock-jobs", filter: { statuses: ["Completed"] } },
      { name: "audit", target: "arn:aws:events:us-east-1:333333333333:event-bus/audit", filter: {} },
    ];
    expect(parseEventBridgeConfig({ EVENTBRIDGE_ROUTES: JSON.stringify(routes) })).toEqual({
      eventBusName: "bedrock-jobs",
      routes,
      source: "bedrock-job-notifier",
    });
    expect(
      problemsOf(() =>
        parseEventBridgeConfig({ EVENTBRIDGE_ROUTES: JSON.stringify([{ name: "x", target: "bad bus!", filter: {} }]) }),
      ),
    ).toEqual(["EVENTBRIDGE_ROUTES[0] must have a name and a bus name or ARN"]);
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
