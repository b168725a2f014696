import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { parseBedrockJobEvent } from "../src/domain/bedrock-event";
import { recordDelivery, recordFailure } from "../src/observability";
import { type ReconcileJobReport, reconcileJob } from "../src/reconcile-job";
import { buildPollRuntime } from "./wiring";

// Cold start: configuration (failing here on a bad variable), observability and adapters, shared with the
// other function so both feed one write path.
const { logger, metrics, diagnostics, jobs, snapshot, publisher } = buildPollRuntime(process.env);

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
    recordFailure(metrics, error);
    throw error;
  }
}

export const handler = middy(onBedrockEvent)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
