import { ConfigurationError } from "../errors";
import type { WebhookFormat } from "./webhook-channel";

/**
 * Configuration of the notify functions, read once at cold start. Like Powertools' envUtils, each value is
 * checked where it is read and named in the error; unlike them, every problem is collected first, so one failed
 * deployment shows everything that is wrong.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/**
 * A parameter path starting with "/" (the IAM policy in serverless/channels-resources.yml builds its ARN that way);
 * `/aws/reference/secretsmanager/<name>` reads a Secrets Manager secret.
 */
const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
const EVENT_BUS = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9/._-]{1,256}$/;
const EVENT_SOURCE = /^[A-Za-z0-9._-]{1,256}$/;

class EnvironmentReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Environment) {}

  /** `quote: false` for variables where a mistake could put a secret in the value (a webhook URL). */
  required(name: string, pattern: RegExp, shape: string, { quote = true } = {}): string {
    const value = this.env[name]?.trim();
    if (!value) this.problems.push(`${name} is required (${shape})`);
    else if (!pattern.test(value)) this.problems.push(`${name} must be ${shape}${quote ? `, got "${value}"` : ""}`);
    return value ?? "";
  }

  optional(name: string, pattern: RegExp, shape: string, fallback: string): string {
    const value = this.env[name]?.trim();
    if (!value) return fallback;
    if (!pattern.test(value)) this.problems.push(`${name} must be ${shape}, got "${value}"`);
    return value;
  }

  wholeNumber(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
    return config;
  }
}

export interface TopicChannelConfig {
  topicArn: string;
}

export function parseEmailConfig(env: Environment): TopicChannelConfig {
  const reader = new EnvironmentReader(env);
  return reader.done({ topicArn: reader.required("EMAIL_TOPIC_ARN", TOPIC_ARN, "an SNS topic ARN") });
}

export function parseChatConfig(env: Environment): TopicChannelConfig {
  const reader = new EnvironmentReader(env);
  return reader.done({ topicArn: reader.required("CHAT_TOPIC_ARN", TOPIC_ARN, "an SNS topic ARN") });
}

export interface WebhookConfig {
  format: WebhookFormat;
  /** The NAME of the SecureString parameter holding the URL; the URL itself never sits in the environment. */
  urlParameterName: string;
  timeoutMs: number;
  secretCacheMs: number;
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
  const secretCacheSeconds = reader.wholeNumber("SECRET_CACHE_SECONDS", 300, 0, 3600);
  return reader.done({ format, urlParameterName, timeoutMs, secretCacheMs: secretCacheSeconds * 1000 });
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
  if (source.startsWith("aws.")) reader.problems.push(`EVENT_SOURCE must not start with "aws.", got "${source}"`);
  return reader.done({ eventBusName, source });
}
