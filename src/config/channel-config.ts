import { ROUTE_EVENT_TYPES, type RouteFilter } from "../domain/route-filter";
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
  /**
   * CHAT_ROUTES, EMAIL_ROUTES (a routes file): routes with a topic of their own, each filtered in code and published
   * to its own topic.
   */
  routes?: RouteConfig[];
}

function parseTopicChannelConfig(env: Environment, variable: string, routesVariable: string): TopicChannelConfig {
  const reader = new EnvironmentReader(env);
  const topicArn = reader.required(variable, TOPIC_ARN, "an SNS topic ARN");
  const rawRoutes = env[routesVariable]?.trim();
  const routes = rawRoutes ? readRoutes(reader, routesVariable, rawRoutes, TOPIC_ARN, "a topic ARN") : undefined;
  const accountAliases = readAccountAliases(reader);
  return reader.done({
    topicArn,
    ...(routes ? { routes } : {}),
    accountAliases,
    delivery: readDeliveryLedger(reader),
  });
}

export function parseEmailConfig(env: Environment): TopicChannelConfig {
  return parseTopicChannelConfig(env, "EMAIL_TOPIC_ARN", "EMAIL_ROUTES");
}

export function parseChatConfig(env: Environment): TopicChannelConfig {
  return parseTopicChannelConfig(env, "CHAT_TOPIC_ARN", "CHAT_ROUTES");
}

export const WEBHOOK_FORMATS = ["slack", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * One route of a routes file as its function reads it (WEBHOOK_ROUTES, EVENTBRIDGE_ROUTES, CHAT_ROUTES,
 * EMAIL_ROUTES): never a URL, only a parameter's name, a bus or a topic.
 */
export interface RouteConfig {
  name: string;
  /** The SecureString parameter's NAME (webhooks), the bus name or ARN (EventBridge), the topic ARN (chat, email). */
  target: string;
  filter: RouteFilter;
}

const FILTER_LISTS = ["statuses", "severities", "warningKinds", "jobNames", "modelIds", "accounts", "regions"];

/**
 * A JSON list of routes, as serverless/routes.js wrote it after validating the routes file against its schema; read
 * again here so a hand-edited environment fails at cold start, naming the variable, rather than misroute.
 */
function readRoutes(
  reader: EnvironmentReader,
  name: string,
  raw: string,
  target: RegExp,
  targetName = "a target parameter name",
): RouteConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    reader.problem(`${name} must be a JSON list of routes`);
    return [];
  }
  const isList = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === "string");
  const routes: RouteConfig[] = [];
  if (!Array.isArray(parsed) || parsed.length === 0) reader.problem(`${name} must be a non-empty JSON list of routes`);
  for (const [index, item] of (Array.isArray(parsed) ? parsed : []).entries()) {
    const route = item as Partial<RouteConfig> | null;
    const filter = (route?.filter ?? {}) as Record<string, unknown>;
    const badFields = Object.entries(filter).filter(([field, value]) =>
      field === "eventTypes"
        ? !isList(value) || value.some((type) => !(ROUTE_EVENT_TYPES as readonly string[]).includes(type))
        : !FILTER_LISTS.includes(field) || !isList(value),
    );
    if (typeof route?.name !== "string" || typeof route.target !== "string" || !target.test(route.target))
      reader.problem(`${name}[${index}] must have a name and ${targetName}`);
    else if (badFields.length > 0)
      reader.problem(
        `${name}[${index}] (${route.name}) has a bad filter field: ${badFields.map(([f]) => f).join(", ")}`,
      );
    else routes.push({ name: route.name, target: route.target, filter: filter as RouteFilter });
  }
  return routes;
}

export interface WebhookConfig extends PeopleChannelConfig {
  format: WebhookFormat;
  /**
   * The NAME of the SecureString parameter holding the URL; the URL itself never sits in the environment. With
   * routes (WEBHOOK_ROUTES), the first route's, and unused.
   */
  urlParameterName: string;
  /** WEBHOOK_ROUTES (a routes file): every webhook of this format, each with its filter, applied in code. */
  routes?: RouteConfig[];
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
  const rawRoutes = env.WEBHOOK_ROUTES?.trim();
  const routes = rawRoutes ? readRoutes(reader, "WEBHOOK_ROUTES", rawRoutes, PARAMETER_NAME) : undefined;
  const urlParameterName = routes
    ? (routes[0]?.target ?? "")
    : reader.required(
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
    ...(routes ? { routes } : {}),
    timeoutMs,
    minIntervalMs,
    secretCacheMs: secretCacheSeconds * 1000,
    allowedHosts,
    accountAliases,
    delivery,
  });
}

export interface EventBridgeConfig {
  /** EVENT_BUS_NAME (the simple param); with routes (EVENTBRIDGE_ROUTES), the first route's bus, and unused. */
  eventBusName: string;
  /** EVENTBRIDGE_ROUTES (a routes file): every bus with its filter, applied in code. */
  routes?: RouteConfig[];
  source: string;
}

export function parseEventBridgeConfig(env: Environment): EventBridgeConfig {
  const reader = new EnvironmentReader(env);
  const rawRoutes = env.EVENTBRIDGE_ROUTES?.trim();
  const routes = rawRoutes
    ? readRoutes(reader, "EVENTBRIDGE_ROUTES", rawRoutes, EVENT_BUS, "a bus name or ARN")
    : undefined;
  const eventBusName = routes
    ? (routes[0]?.target ?? "")
    : reader.required("EVENT_BUS_NAME", EVENT_BUS, "an EventBridge bus name or ARN");
  const source = reader.optional(
    "EVENT_SOURCE",
    EVENT_SOURCE,
    "an event source such as bedrock-job-notifier",
    "bedrock-job-notifier",
  );
  // EventBridge reserves sources starting with "aws." for AWS services and rejects the entry.
  if (source.startsWith("aws.")) reader.problem(`EVENT_SOURCE must not start with "aws.", got "${source}"`);
  return reader.done({ eventBusName, ...(routes ? { routes } : {}), source });
}
