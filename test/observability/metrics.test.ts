import { describe, expect, it } from "vitest";
import { METRIC, type MetricSink, recordDelivery, recordPoll } from "../../src/observability/metrics";
import { NO_DELIVERY } from "../../src/poll/deliver";
import { NO_WARNINGS } from "../../src/poll/deliver-warnings";
import type { PollOutcome, PollReport } from "../../src/poll/run-poll";

/** A Metrics stand-in that keeps every datum. */
function recorder() {
  const data: Array<{ name: string; unit: string; value: number }> = [];
  const sink: MetricSink = {
    addMetric: (name, unit, value) => {
      data.push({ name, unit, value });
    },
  };
  return { sink, data, named: (name: string) => data.filter((datum) => datum.name === name) };
}

const reportOf = (outcome: PollOutcome, overrides: Partial<PollReport> = {}): PollReport => ({
  ...NO_DELIVERY,
  ...NO_WARNINGS,
  outcome,
  firstRun: false,
  jobsSeen: 3,
  fetched: 1,
  watermark: null,
  deepReconciled: false,
  windowListed: 0,
  late: [],
  ...overrides,
});

describe("recordPoll", () => {
  it.each<PollOutcome>(["quiet", "delivered", "undelivered", "baseline"])(
    "counts a %s poll as a successful poll",
    (outcome) => {
      // Prepare
      const { sink, named } = recorder();

      // Act
      recordPoll(sink, reportOf(outcome));

      // Assess
      expect(named(METRIC.pollSucceeded)).toEqual([{ name: "PollSucceeded", unit: "Count", value: 1 }]);
    },
  );

  it("never counts a lease-busy poll as successful, so a stuck lease raises the no-successful-poll alarm", () => {
    // Prepare
    const { sink, named } = recorder();

    // Act
    recordPoll(sink, reportOf("lease-busy"));

    // Assess
    expect(named(METRIC.pollSucceeded)).toEqual([]);
    expect(named(METRIC.jobsSeen)).toEqual([{ name: "JobsSeen", unit: "Count", value: 3 }]);
  });

  it("records what the poll saw and fetched alongside its delivery", () => {
    // Prepare
    const { sink, data } = recorder();

    // Act
    recordPoll(sink, reportOf("delivered", { transitions: 2, published: 2, publishFailed: 1, maxLagSeconds: 42 }));

    // Assess
    expect(data.map((datum) => [datum.name, datum.value])).toEqual([
      ["Transitions", 2],
      ["PublishFailures", 1],
      ["NotificationLagSeconds", 42],
      ["JobsSeen", 3],
      ["Candidates", 1],
      ["PollSucceeded", 1],
    ]);
  });
});

describe("recordDelivery", () => {
  it("records no lag when nothing was published", () => {
    // Prepare
    const { sink, named } = recorder();

    // Act
    recordDelivery(sink, { ...NO_DELIVERY, transitions: 1, publishFailed: 1, maxLagSeconds: 0 });

    // Assess
    expect(named(METRIC.lag)).toEqual([]);
    expect(named(METRIC.publishFailures)).toEqual([{ name: "PublishFailures", unit: "Count", value: 1 }]);
  });
});
