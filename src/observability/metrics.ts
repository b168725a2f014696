import type { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { type Scope, scopeId } from "../domain/scope";
import { BedrockAccessDeniedError } from "../errors";
import type { DeliveryCounts } from "../poll/deliver";
import type { Diagnostics } from "../poll/ports";
import type { PollReport } from "../poll/run-poll";

/**
 * Metric names are a contract with the alarms in serverless.yml (PollSucceeded, PublishFailures,
 * BedrockAccessDenied, ReconciledLate, ScopeFailed): rename both together.
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
  reconciledLate: "ReconciledLate",
  scopeFailed: "ScopeFailed",
  warningsSent: "WarningsSent",
  digestsPublished: "DigestsPublished",
  scopesDispatched: "ScopesDispatched",
} as const;

/** The dimension that names a scope ("<account>/<region>"): the per-scope alarm groups by it. */
export const SCOPE_DIMENSION = "Scope";

/** The part of Powertools Metrics the rules below use (a recorder in tests). */
export interface MetricSink {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): unknown;
}

/** A sink that can emit one metric with an extra dimension, flushed at once (Powertools' `singleMetric`). */
export interface DimensionedMetricSink extends MetricSink {
  singleMetric(): MetricSink & { addDimension(name: string, value: string): unknown };
}

/**
 * A scope's poll failed. Emitted only on failure, with the scope as a dimension: a healthy scope adds no custom
 * metric (at 1,000 scopes, one per scope would cost more than the rest of the deployment), and the one Metrics
 * Insights alarm that groups this metric by Scope names each failing scope as a contributor.
 */
export function recordScopeFailure(metrics: DimensionedMetricSink, scope: Scope, error: unknown): void {
  const single = metrics.singleMetric();
  single.addDimension(SCOPE_DIMENSION, scopeId(scope));
  single.addMetric(METRIC.scopeFailed, MetricUnit.Count, 1);
  // The deployment-wide access-denied alarm keeps meaning what it meant with one scope.
  if (error instanceof BedrockAccessDeniedError) metrics.addMetric(METRIC.bedrockAccessDenied, MetricUnit.Count, 1);
}

/** Diagnostics as structured warnings plus a count, so skipped input is visible without reading logs. */
export function loggingDiagnostics(logger: Pick<Logger, "warn">, metrics: MetricSink): Diagnostics {
  return {
    warn(kind, details) {
      logger.warn(`skipped input: ${kind}`, { kind, ...details });
      metrics.addMetric(METRIC.skippedInput, MetricUnit.Count, 1);
    },
  };
}

/** What any announcement (a poll, a Bedrock event) delivered. */
export function recordDelivery(metrics: MetricSink, counts: DeliveryCounts): void {
  metrics.addMetric(METRIC.transitions, MetricUnit.Count, counts.transitions);
  metrics.addMetric(METRIC.publishFailures, MetricUnit.Count, counts.publishFailed);
  if (counts.published > 0) metrics.addMetric(METRIC.lag, MetricUnit.Seconds, counts.maxLagSeconds);
}

export function recordPoll(metrics: MetricSink, report: PollReport): void {
  recordDelivery(metrics, report);
  metrics.addMetric(METRIC.jobsSeen, MetricUnit.Count, report.jobsSeen);
  if (report.warnings > 0) metrics.addMetric(METRIC.warningsSent, MetricUnit.Count, report.warningsPublished);
  metrics.addMetric(METRIC.candidates, MetricUnit.Count, report.fetched);
  // A poll that could not take the lease did not reconcile: it must not count towards "polls are healthy" (the
  // no-successful-poll alarm), or a stuck lease would hide behind polls that do nothing.
  if (report.outcome !== "lease-busy") metrics.addMetric(METRIC.pollSucceeded, MetricUnit.Count, 1);
  // Only the deep reconciliation finds changes late: a count above zero means the fast path lost something.
  if (report.deepReconciled) metrics.addMetric(METRIC.reconciledLate, MetricUnit.Count, report.late.length);
}
