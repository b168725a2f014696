import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { BedrockJobSource } from "../src/adapters/bedrock";
import { DynamoDbSnapshotStore } from "../src/adapters/dynamodb";
import { boundedClient } from "../src/adapters/request-deadline";
import { SnsPublisher } from "../src/adapters/sns";
import type { Environment } from "../src/config/environment";
import { parsePollConfig } from "../src/config/poll-config";
import { loggingDiagnostics } from "../src/observability/metrics";
import { countFailures } from "../src/observability/middleware";
import type { Invocation } from "../src/poll/invocation";
import { boundRequestsByDeadline, deadlineOf } from "./deadline";

/**
 * Everything the poll and the Bedrock-event function build at cold start, from the environment: the same
 * configuration, observability and adapters, so both feed one write path. A bad configuration throws here, naming
 * every bad variable, before any event is handled. Endpoints come from the SDK's default resolution, so
 * AWS_ENDPOINT_URL_<SERVICE> can point the clients at local peers; every client's requests are bounded by the
 * invocation's deadline (`boundedClient`); the service name and metrics namespace come from POWERTOOLS_SERVICE_NAME
 * and POWERTOOLS_METRICS_NAMESPACE.
 */
export function buildPollRuntime(env: Environment) {
  const config = parsePollConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  const diagnostics = loggingDiagnostics(logger, metrics);
  const jobs = new BedrockJobSource(boundedClient(BedrockClient, { region: config.region }), diagnostics);
  const snapshot = new DynamoDbSnapshotStore(
    DynamoDBDocumentClient.from(boundedClient(DynamoDBClient, { region: config.region }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    config.snapshotTable,
    diagnostics,
  );
  const publisher = new SnsPublisher(boundedClient(SNSClient, { region: config.region }), config.topicArn);
  const writer = { jobs, snapshot, publisher, diagnostics, clock: () => new Date() };
  return { config, logger, metrics, diagnostics, jobs, writer };
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
