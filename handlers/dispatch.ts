import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SQSClient } from "@aws-sdk/client-sqs";
import { OrganizationAccounts } from "../src/adapters/organization-accounts";
import { boundedClient } from "../src/adapters/request-deadline";
import { SqsScopeQueue } from "../src/adapters/scope-queue";
import { parseDispatchConfig } from "../src/config/dispatch-config";
import { type DispatchReport, dispatchRound } from "../src/estate/dispatch";
import { METRIC } from "../src/observability/metrics";
import { buildPollRuntime, writerHandler } from "./writer-runtime";

// Cold start. The dispatcher shares the writers' configuration (the estate) and observability; it writes nothing but
// queue messages.
const config = parseDispatchConfig(process.env);
const runtime = buildPollRuntime(process.env);
const { logger, metrics } = runtime;
const queue = new SqsScopeQueue(boundedClient(SQSClient, { region: config.region }), config.scopeQueueUrl);
// Organizations is a global service answered from us-east-1 (or the partition's own home region); the SDK resolves it.
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

export const handler = writerHandler(runtime, dispatch, { captureColdStartMetric: true });
