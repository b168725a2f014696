import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SQSClient } from "@aws-sdk/client-sqs";
import { OrganizationAccounts } from "../src/adapters/organization-accounts";
import { boundedClient } from "../src/adapters/request-deadline";
import { SqsScopeQueue } from "../src/adapters/scope-queue";
import { parseDispatchConfig } from "../src/config/dispatch-config";
import { type DispatchReport, dispatchRound } from "../src/estate/dispatch";
import { METRIC } from "../src/observability/metrics";
import { writerHandler } from "./writer-runtime";

// Cold start. The dispatcher reads the writers' configuration (the estate) but writes only queue messages: no
// Bedrock, DynamoDB or SNS client is built.
const config = parseDispatchConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();
const queue = new SqsScopeQueue(boundedClient(SQSClient, { region: config.region }), config.scopeQueueUrl);
// Organizations is a global service; the SDK resolves its endpoint from the region.
const accounts =
  config.estate.accounts === null
    ? new OrganizationAccounts(boundedClient(OrganizationsClient, { region: config.region }))
    : undefined;

async function dispatch(): Promise<DispatchReport> {
  const report = await dispatchRound({
    estate: config.estate,
    ...(accounts ? { accounts } : {}),
    queue,
    clock: () => new Date(),
  });
  metrics.addMetric(METRIC.scopesDispatched, MetricUnit.Count, report.scopes);
  logger.info("round dispatched", { ...report });
  return report;
}

export const handler = writerHandler({ logger, metrics }, dispatch, { captureColdStartMetric: true });
