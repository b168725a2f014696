import { describe, expect, it } from "vitest";
import { BedrockAccessDeniedError, MemberRoleError } from "../../src/errors";
import {
  type DimensionedMetricSink,
  METRIC,
  recordScopeFailure,
  SCOPE_DIMENSION,
} from "../../src/observability/metrics";

/** A Metrics stand-in that keeps every datum: the shared ones, and each single metric with its dimensions. */
function recorder() {
  const shared: Array<{ name: string; unit: string; value: number }> = [];
  const singles: Array<{
    dimensions: Record<string, string>;
    data: Array<{ name: string; unit: string; value: number }>;
  }> = [];
  const sink: DimensionedMetricSink = {
    addMetric: (name, unit, value) => {
      shared.push({ name, unit, value });
    },
    singleMetric: () => {
      const single = { dimensions: {} as Record<string, string>, data: [] as typeof shared };
      singles.push(single);
      return {
        addDimension: (name: string, value: string) => {
          single.dimensions[name] = value;
        },
        addMetric: (name, unit, value) => {
          single.data.push({ name, unit, value });
        },
      };
    },
  };
  return { sink, shared, singles };
}

const SCOPE = { accountId: "210987654321", region: "eu-west-1" };

describe("recordScopeFailure", () => {
  it("counts one ScopeFailed under the Scope dimension <account>/<region>", () => {
    // Prepare
    const { sink, singles, shared } = recorder();

    // Act
    recordScopeFailure(sink, SCOPE, new Error("boom"));

    // Assess
    expect(SCOPE_DIMENSION).toBe("Scope");
    expect(singles).toEqual([
      { dimensions: { Scope: "210987654321/eu-west-1" }, data: [{ name: "ScopeFailed", unit: "Count", value: 1 }] },
    ]);
    expect(shared).toEqual([]);
  });

  it("also counts BedrockAccessDenied, deployment-wide, when Bedrock denied access", () => {
    // Prepare
    const { sink, singles, shared } = recorder();

    // Act
    recordScopeFailure(sink, SCOPE, new BedrockAccessDeniedError("ListModelInvocationJobs"));

    // Assess
    expect(shared).toEqual([{ name: METRIC.bedrockAccessDenied, unit: "Count", value: 1 }]);
    expect(shared[0]?.name).toBe("BedrockAccessDenied");
    expect(singles.map((single) => single.data)).toEqual([[{ name: "ScopeFailed", unit: "Count", value: 1 }]]);
  });

  it.each([
    [
      "a member role refusal",
      new MemberRoleError("arn:aws:iam::210987654321:role/reader", "STS answered AccessDenied"),
    ],
    ["an error merely named like an access denial", Object.assign(new Error("x"), { name: "AccessDeniedException" })],
    ["a non-Error", "denied"],
  ])("does not count BedrockAccessDenied for %s", (_, error) => {
    // Prepare
    const { sink, singles, shared } = recorder();

    // Act
    recordScopeFailure(sink, SCOPE, error);

    // Assess
    expect(shared).toEqual([]);
    expect(singles).toHaveLength(1);
  });

  it("names each failing scope in its own single metric", () => {
    // Prepare
    const { sink, singles } = recorder();

    // Act
    recordScopeFailure(sink, SCOPE, new Error("a"));
    recordScopeFailure(sink, { accountId: "123456789012", region: "us-east-1" }, new Error("b"));

    // Assess
    expect(singles.map((single) => single.dimensions.Scope)).toEqual([
      "210987654321/eu-west-1",
      "123456789012/us-east-1",
    ]);
  });
});
