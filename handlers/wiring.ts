import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BedrockJobSource } from "../src/adapters/bedrock";
import { DynamoDbSnapshotStore } from "../src/adapters/dynamodb";
import { SnsPublisher } from "../src/adapters/sns";
import { type PollConfig, parsePollConfig } from "../src/config";
import { loggingDiagnostics } from "../src/observability";
import type { Diagnostics } from "../src/ports";

/**
 * The adapters both the scheduled poll and the Bedrock-event function use, over default SDK clients. Endpoints come
 * from the SDK's default resolution, so AWS_ENDPOINT_URL_<SERVICE> can point them at local peers.
 */
export function buildAdapters(config: PollConfig, diagnostics: Diagnostics) {
  return {
    jobs: new BedrockJobSource(new BedrockClient({ region: config.region }), diagnostics),
    snapshot: new DynamoDbSnapshotStore(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: config.region }), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      config.snapshotTable,
      diagnostics,
    ),
    publisher: new SnsPublisher(new SNSClient({ region: config.region }), config.topicArn),
  };
}

/**
 * Everything the poll and the Bedrock-event function build at cold start, from the environment: the same
 * configuration, observability and adapters, so both feed one write path. A bad configuration throws here,
 * naming every bad variable, before any event is handled.
 */
export function buildPollRuntime(env: NodeJS.ProcessEnv) {
  const config = parsePollConfig(env);
  const logger = new Logger({ serviceName: "bedrock-job-notifier" });
  const metrics = new Metrics({ serviceName: "bedrock-job-notifier" });
  const diagnostics = loggingDiagnostics(logger, metrics);
  return { config, logger, metrics, diagnostics, ...buildAdapters(config, diagnostics) };
}
