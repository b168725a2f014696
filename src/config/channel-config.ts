import { DEFAULT_WEBHOOK_HOSTS, isHostPattern } from "../domain/webhook-hosts";
import { type Environment, EnvironmentReader, TABLE_NAME, TOPIC_ARN } from "./environment";
import { readAccountAliases } from "./estate-config";

/**
 * A parameter path starting with "/" (the IAM policy in serverless/channels-resources.yml builds its ARN that way);
 * `/aws/reference/secretsmanager/<name>` reads a Secrets Manager secret.
 */
const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
const EVENT_BUS = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9/._-]{1,256}$/;
const EVENT_SOURCE = /^[A-Za-z0-9._-]{1,256}$/;

/** Where a people channel records what it delivered, so a re-send of an event is dropped. */
export interface DeliveryLedgerConfig {
  /** DELIVERY_TABLE: the table Powertools idempotency keeps its records in. */
  tableName: string;
  /** DELIVERY_TTL_HOURS: how long a delivered event is remembered (docs/reliability.md says why 24 h). */
  ttlHours: number;
}

/** What every people channel (email, chat, Slack, Teams) reads besides its destination. */
export interface PeopleChannelConfig {
  /** ACCOUNT_ALIASES ("123456789012:prod,210987654321:staging", may be empty): readable names for accounts. */
  accountAliases: ReadonlyMap<string, string>;
  delivery: DeliveryLedgerConfig;
}

/**
 * The floor is Lambda's asynchronous horizon (an event may wait up to 6 h in its queue, and a duplicate copy with
 * it) plus an hour; the ceiling, a month, is far past any re-send the poll can make.
 */
const DELIVERY_TTL_HOURS = { fallback: 24, min: 7, max: 720 };

function readDeliveryLedger(reader: EnvironmentReader): DeliveryLedgerConfig {
  const tableName = reader.required("DELIVERY_TABLE", TABLE_NAME, "a DynamoDB table name");
  const { fallback, min, max } = DELIVERY_TTL_HOURS;
  return { tableName, ttlHours: reader.wholeNumber("DELIVERY_TTL_HOURS", fallback, min, max) };
}

export interface TopicChannelConfig extends PeopleChannelConfig {
  topicArn: string;
}

function parseTopicChannelConfig(env: Environment, variable: string): TopicChannelConfig {
  const reader = new EnvironmentReader(env);
  const topicArn = reader.required(variable, TOPIC_ARN, "an SNS topic ARN");
  const accountAliases = readAccountAliases(reader);
  return reader.done({ topicArn, accountAliases, delivery: readDeliveryLedger(reader) });
}

export function parseEmailConfig(env: Environment): TopicChannelConfig {
  return parseTopicChannelConfig(env, "EMAIL_TOPIC_ARN");
}

export function parseChatConfig(env: Environment): TopicChannelConfig {
  return parseTopicChannelConfig(env, "CHAT_TOPIC_ARN");
}

export const WEBHOOK_FORMATS = ["slack", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface WebhookConfig extends PeopleChannelConfig {
  format: WebhookFormat;
  /** The NAME of the SecureString parameter holding the URL; the URL itself never sits in the environment. */
  urlParameterName: string;
  timeoutMs: number;
  /** The least time between two posts to the webhook from one sandbox (Slack allows about one per second). */
  minIntervalMs: number;
  secretCacheMs: number;
  /** Hosts the URL may point to (exact names or `*.domain`). */
  allowedHosts: readonly string[];
}

export function parseWebhookConfig(env: Environment): WebhookConfig {
  const reader = new EnvironmentReader(env);
  const format = reader.required("WEBHOOK_FORMAT", /^(slack|teams)$/, `"slack" or "teams"`) as WebhookFormat;
  const urlParameterName = reader.required(
    "WEBHOOK_URL_PARAMETER",
    PARAMETER_NAME,
    "the NAME of an SSM parameter such as /bedrock-job-notifier/slack-webhook-url, not the URL itself",
    { quote: false },
  );
  const timeoutMs = reader.wholeNumber("WEBHOOK_TIMEOUT_MS", 5000, 100, 30_000);
  const minIntervalMs = reader.wholeNumber("WEBHOOK_MIN_INTERVAL_MS", 1000, 0, 60_000);
  const secretCacheSeconds = reader.wholeNumber("SECRET_CACHE_SECONDS", 300, 0, 3600);
  const rawHosts = env.WEBHOOK_ALLOWED_HOSTS?.trim();
  const allowedHosts = rawHosts
    ? rawHosts.split(",").map((host) => host.trim().toLowerCase())
    : [...(DEFAULT_WEBHOOK_HOSTS[format] ?? [])];
  const badHosts = allowedHosts.filter((host) => !isHostPattern(host));
  if (badHosts.length > 0)
    reader.problem(
      `WEBHOOK_ALLOWED_HOSTS must be a comma list of host names or *.domain patterns, got "${badHosts.join(", ")}"`,
    );
  const accountAliases = readAccountAliases(reader);
  const delivery = readDeliveryLedger(reader);
  return reader.done({
    format,
    urlParameterName,
    timeoutMs,
    minIntervalMs,
    secretCacheMs: secretCacheSeconds * 1000,
    allowedHosts,
    accountAliases,
    delivery,
  });
}

export interface EventBridgeConfig {
  eventBusName: string;
  source: string;
}

export function parseEventBridgeConfig(env: Environment): EventBridgeConfig {
  const reader = new EnvironmentReader(env);
  const eventBusName = reader.required("EVENT_BUS_NAME", EVENT_BUS, "an EventBridge bus name or ARN");
  const source = reader.optional(
    "EVENT_SOURCE",
    EVENT_SOURCE,
    "an event source such as bedrock-job-notifier",
    "bedrock-job-notifier",
  );
  // EventBridge reserves sources starting with "aws." for AWS services and rejects the entry.
  if (source.startsWith("aws.")) reader.problem(`EVENT_SOURCE must not start with "aws.", got "${source}"`);
  return reader.done({ eventBusName, source });
}
