import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { parsePollConfig } from "../src/config";
import { parseBedrockJobEvent } from "../src/domain/bedrock-event";
import { BedrockAccessDeniedError } from "../src/errors";
import { loggingDiagnostics, METRIC, recordDelivery } from "../src/observability";
import { type ReconcileJobReport, reconcileJob } from "../src/reconcile-job";
import { buildAdapters } from "./wiring";

// Same configuration and adapters as the scheduled poll: one write path, whichever function sees a change first.
const config = parsePollConfig(process.env);
const logger = new Logger({ serviceName: "bedrock-job-notifier" });
const metrics = new Metrics({ serviceName: "bedrock-job-notifier" });
const diagnostics = loggingDiagnostics(logger, metrics);
const { jobs, snapshot, publisher } = buildAdapters(config, diagnostics);

async function onBedrockEvent(event: unknown, context: Context): Promise<ReconcileJobReport | undefined> {
  const parsed = parseBedrockJobEvent(event);
  if (!parsed.ok) {
    // Retrying a malformed event cannot help; the scheduled poll still reconciles whatever it was about.
    diagnostics.warn("bedrock-event-malformed", { reason: parsed.reason });
    return undefined;
  }
  try {
    const report = await reconcileJob(
      { jobs, snapshot, publisher, diagnostics, clock: () => new Date() },
      { pollId: context.awsRequestId, deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) },
      parsed.jobArn,
    );
    recordDelivery(metrics, report);
    logger.info("bedrock event handled", { jobArn: parsed.jobArn, ...report });
    return report;
  } catch (error) {
    if (error instanceof BedrockAccessDeniedError) metrics.addMetric(METRIC.bedrockAccessDenied, MetricUnit.Count, 1);
    throw error;
  }
}

export const handler = middy(onBedrockEvent)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
