import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Context } from "aws-lambda";
import { OrganizationAccounts } from "../src/adapters/organization-accounts";
import { boundedClient } from "../src/adapters/request-deadline";
import { type DigestReport, runDigest } from "../src/digest/run-digest";
import { METRIC } from "../src/observability/metrics";
import { buildPollRuntime, invocationOf, writerHandler } from "./writer-runtime";

// Cold start: the writers' runtime (the digest's listing is each scope's deep reconciliation, through the same write
// path), plus the organization's account list when the estate is the organization's.
const runtime = buildPollRuntime(process.env);
const { config, logger, metrics, scopes, delivery } = runtime;
const accounts =
  config.estate.accounts === null
    ? new OrganizationAccounts(boundedClient(OrganizationsClient, { region: config.region }))
    : undefined;

async function digest(_event: unknown, context: Context): Promise<Omit<DigestReport, "event"> & { eventId: string }> {
  const report = await runDigest(
    {
      ...delivery,
      estate: config.estate,
      ...(accounts ? { accounts } : {}),
      access: scopes.get,
      options: config,
      deployment: config.topicArn,
    },
    invocationOf(context),
  );
  const summary = { eventId: report.event.eventId, scopes: report.scopes, unavailable: report.unavailable };
  metrics.addMetric(METRIC.digestsPublished, MetricUnit.Count, 1);
  logger.info("daily digest published", { ...summary, totals: report.event.totals });
  return summary;
}

export const handler = writerHandler(runtime, digest, { captureColdStartMetric: true });
