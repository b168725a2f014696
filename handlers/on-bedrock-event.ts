import type { Context } from "aws-lambda";
import { isInScope, parseBedrockJobEvent, scopeOfFunction } from "../src/domain/bedrock-event";
import { recordDelivery } from "../src/observability/metrics";
import { type ReconcileJobReport, reconcileJob } from "../src/poll/reconcile-job";
import { buildPollRuntime, invocationOf, writerHandler } from "./writer-runtime";

// Cold start: the same configuration, observability and adapters as the poll, so both feed one write path.
const runtime = buildPollRuntime(process.env);
const { logger, metrics, diagnostics, writer } = runtime;

async function onBedrockEvent(event: unknown, context: Context): Promise<ReconcileJobReport | undefined> {
  const parsed = parseBedrockJobEvent(event);
  if (!parsed.ok) {
    // Retrying a malformed event cannot help; the scheduled poll still reconciles whatever it was about.
    diagnostics.warn("bedrock-event-malformed", { reason: parsed.reason });
    return undefined;
  }
  const scope = scopeOfFunction(context.invokedFunctionArn);
  if (scope && !isInScope(parsed.jobArn, scope)) {
    // Not a job this deployment watches: no Get (Bedrock would refuse it), no alarm, only a count.
    diagnostics.warn("bedrock-event-foreign", { jobArn: parsed.jobArn, reason: "not this deployment's scope" });
    return undefined;
  }
  const report = await reconcileJob(writer, invocationOf(context), parsed.jobArn);
  recordDelivery(metrics, report);
  logger.info("bedrock event handled", { jobArn: parsed.jobArn, ...report });
  return report;
}

export const handler = writerHandler(runtime, onBedrockEvent);
