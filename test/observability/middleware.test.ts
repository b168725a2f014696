import middy from "@middy/core";
import { describe, expect, it } from "vitest";
import { BedrockAccessDeniedError } from "../../src/errors";
import type { MetricSink } from "../../src/observability/metrics";
import { countFailures, measureInvocation } from "../../src/observability/middleware";

function recorder() {
  const data: Array<[string, number]> = [];
  const sink: MetricSink = {
    addMetric: (name, _unit, value) => {
      data.push([name, value]);
    },
  };
  return { sink, data };
}

const context = { getRemainingTimeInMillis: () => 60_000 } as never;

describe("countFailures", () => {
  it("counts a Bedrock access denial once and lets the error through", async () => {
    // Prepare
    const { sink, data } = recorder();
    const denied = new BedrockAccessDeniedError("ListModelInvocationJobs");
    const handler = middy(async () => {
      throw denied;
    }).use(countFailures(sink));

    // Act
    const error = await handler({}, context).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBe(denied);
    expect(data).toEqual([["BedrockAccessDenied", 1]]);
  });

  it("counts nothing for other errors, nor for success", async () => {
    // Prepare
    const { sink, data } = recorder();
    const failing = middy(async () => {
      throw new Error("boom");
    }).use(countFailures(sink));
    const succeeding = middy(async () => "ok").use(countFailures(sink));

    // Act
    await failing({}, context).catch(() => undefined);
    await succeeding({}, context);

    // Assess
    expect(data).toEqual([]);
  });
});

describe("measureInvocation", () => {
  it("records the Bedrock calls and the duration of this invocation only, when it succeeds and when it fails", async () => {
    // Prepare
    const { sink, data } = recorder();
    let calls = 10;
    let now = 1_000;
    const measure = measureInvocation(
      sink,
      () => calls,
      () => now,
    );
    const ok = middy(async () => {
      calls += 6;
      now += 250;
    }).use(measure);
    const failing = middy(async () => {
      calls += 1;
      now += 40;
      throw new Error("throttled");
    }).use(measure);

    // Act
    await ok({}, context);
    await failing({}, context).catch(() => undefined);

    // Assess
    expect(data).toEqual([
      ["BedrockApiCalls", 6],
      ["PollDurationMs", 250],
      ["BedrockApiCalls", 1],
      ["PollDurationMs", 40],
    ]);
  });
});
