import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { METRIC, recordDelivery, recordFailure } from "../src/observability";
import { type PollReport, runPoll } from "../src/poll";
import { buildPollRuntime } from "./wiring";

// Cold start: configuration (failing here on a bad variable), observability and adapters, shared with the
// other function so both feed one write path.
const { config, logger, metrics, diagnostics, jobs, snapshot, publisher } = buildPollRuntime(process.env);

async function poll(_event: unknown, context: Context): Promise<PollReport> {
  const startedAt = Date.now();
  const callsBefore = jobs.calls;
  try {
    const report = await runPoll(
      { jobs, snapshot, publisher, diagnostics, clock: () => new Date(), options: config },
      { pollId: context.awsRequestId, deadline: new Date(startedAt + context.getRemainingTimeInMillis()) },
    );
    recordDelivery(metrics, report);
    metrics.addMetric(METRIC.jobsSeen, MetricUnit.Count, report.jobsSeen);
    metrics.addMetric(METRIC.candidates, MetricUnit.Count, report.fetched);
    // A poll that could not take the lease did not reconcile: it must not count towards "polls are healthy".
    if (report.outcome !== "lease-busy") metrics.addMetric(METRIC.pollSucceeded, MetricUnit.Count, 1);
    logger.info("poll finished", { ...report, watermark: report.watermark?.toISOString() });
    return report;
  } catch (error) {
    recordFailure(metrics, error);
    throw error;
  } finally {
    metrics.addMetric(METRIC.bedrockApiCalls, MetricUnit.Count, jobs.calls - callsBefore);
    metrics.addMetric(METRIC.pollDuration, MetricUnit.Milliseconds, Date.now() - startedAt);
  }
}

export const handler = middy(poll)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
