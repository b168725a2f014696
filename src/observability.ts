import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DeliveryReport } from "./deliver";
import { BedrockAccessDeniedError } from "./errors";
import type { Diagnostics } from "./ports";

/**
 * Metric names are a contract with the alarms in serverless.yml (PollSucceeded, PublishFailures,
 * BedrockAccessDenied): rename both together.
 */
export const METRIC = {
  pollSucceeded: "PollSucceeded",
  publishFailures: "PublishFailures",
  bedrockAccessDenied: "BedrockAccessDenied",
  jobsSeen: "JobsSeen",
  candidates: "Candidates",
  transitions: "Transitions",
  bedrockApiCalls: "BedrockApiCalls",
  pollDuration: "PollDurationMs",
  lag: "NotificationLagSeconds",
  skippedInput: "SkippedInput",
} as const;

/** Diagnostics as structured warnings plus a count, so skipped input is visible without reading logs. */
export function loggingDiagnostics(logger: Logger, metrics: Metrics): Diagnostics {
  return {
    warn(kind, details) {
      logger.warn(`skipped input: ${kind}`, { kind, ...details });
      metrics.addMetric(METRIC.skippedInput, MetricUnit.Count, 1);
    },
  };
}

export function recordDelivery(metrics: Metrics, report: DeliveryReport): void {
  metrics.addMetric(METRIC.transitions, MetricUnit.Count, report.transitions);
  metrics.addMetric(METRIC.publishFailures, MetricUnit.Count, report.publishFailed);
  if (report.published > 0) metrics.addMetric(METRIC.lag, MetricUnit.Seconds, report.maxLagSeconds);
}

/** A Bedrock permission problem means no job is watched: count it for its alarm before the error propagates. */
export function recordFailure(metrics: Metrics, error: unknown): void {
  if (error instanceof BedrockAccessDeniedError) metrics.addMetric(METRIC.bedrockAccessDenied, MetricUnit.Count, 1);
}
