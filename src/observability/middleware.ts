import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MiddlewareObj } from "@middy/core";
import { BedrockAccessDeniedError } from "../errors";
import { METRIC, type MetricSink } from "./metrics";

/**
 * Counts the failures that have an alarm of their own before the error propagates: a Bedrock permission problem
 * means no job is watched. Use it after `logMetrics`, so its `onError` runs before the metrics are flushed.
 */
export function countFailures(metrics: MetricSink): MiddlewareObj {
  return {
    onError: async (request) => {
      if (request.error instanceof BedrockAccessDeniedError) {
        metrics.addMetric(METRIC.bedrockAccessDenied, MetricUnit.Count, 1);
      }
    },
  };
}

/**
 * What an invocation cost, whether it succeeded or not: its Bedrock calls and its duration. Use it after
 * `logMetrics`, so its `after` and `onError` run before the metrics are flushed.
 */
export function measureInvocation(
  metrics: MetricSink,
  bedrockCalls: () => number,
  now: () => number = Date.now,
): MiddlewareObj {
  let startedAt = 0;
  let callsBefore = 0;
  const record = async () => {
    metrics.addMetric(METRIC.bedrockApiCalls, MetricUnit.Count, bedrockCalls() - callsBefore);
    metrics.addMetric(METRIC.pollDuration, MetricUnit.Milliseconds, now() - startedAt);
  };
  return {
    before: async () => {
      startedAt = now();
      callsBefore = bedrockCalls();
    },
    after: record,
    onError: record,
  };
}
