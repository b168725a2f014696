import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { AssumedRoleCredentials } from "../src/adapters/assumed-role-credentials";
import { boundedClient } from "../src/adapters/request-deadline";
import { SnsPublisher } from "../src/adapters/sns";
import type { Environment } from "../src/config/environment";
import { parsePollConfig } from "../src/config/poll-config";
import { loggingDiagnostics } from "../src/observability/metrics";
import { countFailures } from "../src/observability/middleware";
import type { Invocation } from "../src/poll/invocation";
import { boundRequestsByDeadline, deadlineOf } from "./deadline";
import { ScopeAccessCache } from "./scope-access";

/** Shows in each member account's CloudTrail as the session that read its jobs. */
const SESSION_NAME = "bedrock-job-notifier";

/**
 * Everything the functions that announce transitions (the poll, its workers, the Bedrock-event function) build at
 * cold start, from the environment: the same configuration, observability and adapters, so all feed one write path.
 * A bad configuration throws here, naming every bad variable, before any event is handled. Endpoints come from the
 * SDK's default resolution, so AWS_ENDPOINT_URL_<SERVICE> can point the clients at local peers; every client's
 * requests are bounded by the invocation's deadline (`boundedClient`); the service name and metrics namespace come
 * from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
 */
export function buildPollRuntime(env: Environment) {
  const config = parsePollConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  const diagnostics = loggingDiagnostics(logger, metrics);
  const clock = () => new Date();
  const documents = DynamoDBDocumentClient.from(boundedClient(DynamoDBClient, { region: config.region }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const credentials = new AssumedRoleCredentials(boundedClient(STSClient, { region: config.region }), {
    partition: config.partition,
    roleName: config.memberRoleName,
    sessionName: SESSION_NAME,
    clock,
  });
  const scopes = new ScopeAccessCache({
    home: config.home,
    snapshotTable: config.snapshotTable,
    documents,
    credentials,
    diagnostics,
  });
  const publisher = new SnsPublisher(boundedClient(SNSClient, { region: config.region }), config.topicArn);
  /** What every scope's writer shares: one topic, one clock, one place to report skipped input. */
  const delivery = { publisher, diagnostics, clock };
  return { config, logger, metrics, diagnostics, scopes, credentials, delivery };
}

export type PollRuntime = ReturnType<typeof buildPollRuntime>;

/** This invocation as a lease owner: its request id, until Lambda stops it. */
export function invocationOf(context: Context): Invocation {
  return { pollId: context.awsRequestId, deadline: deadlineOf(context) };
}

/** A writer function: logs with the Lambda context, flushes its metrics, and counts the failures that alarm. */
export function writerHandler<TEvent, TResult>(
  runtime: Pick<PollRuntime, "logger" | "metrics">,
  work: (event: TEvent, context: Context) => Promise<TResult>,
  options: { captureColdStartMetric?: boolean } = {},
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  return middy(work)
    .use(boundRequestsByDeadline())
    .use(injectLambdaContext(runtime.logger, { clearState: true }))
    .use(logMetrics(runtime.metrics, options))
    .use(countFailures(runtime.metrics));
}
