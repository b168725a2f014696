import type { Context } from "aws-lambda";
import { onlyScopeOf } from "../src/config/estate-config";
import { recordPoll } from "../src/observability/metrics";
import { measureInvocation } from "../src/observability/middleware";
import { type PollReport, runPoll } from "../src/poll/run-poll";
import { buildPollRuntime, invocationOf, writerHandler } from "./writer-runtime";

// Cold start: configuration (failing here on a bad variable), observability and adapters. With one scope (the
// default: this account, this region) the schedule polls it in-process; more scopes are the dispatcher's.
const runtime = buildPollRuntime(process.env);
const { config, logger, metrics, scopes, delivery } = runtime;
const scope = onlyScopeOf(config);

async function poll(_event: unknown, context: Context): Promise<PollReport> {
  const report = await runPoll({ ...delivery, ...scopes.get(scope), options: config }, invocationOf(context));
  recordPoll(metrics, report);
  for (const change of report.late) {
    const previousStatus = change.previousStatus ?? "none";
    logger.warn("reconciled late", { ...change, previousStatus, changedAt: change.changedAt.toISOString() });
  }
  logger.info("poll finished", { ...report, late: report.late.length, watermark: report.watermark?.toISOString() });
  return report;
}

export const handler = writerHandler(runtime, poll, { captureColdStartMetric: true }).use(
  measureInvocation(metrics, () => scopes.bedrockCalls),
);
