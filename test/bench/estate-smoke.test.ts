import { beforeAll, describe, expect, it } from "vitest";
import { quietRounds, runEstateBench } from "../../bench/estate";
import { checkEstateTargets, renderEstate } from "../../bench/estate-report";
import type { EstateReport, EstateResult, EstateSpec } from "../../bench/estate-types";

// A small run of the estate benchmark (3 scopes through the fan-out with a burst of 30 events, and 4 scopes whose
// snapshot is seeded directly) so that the estate part of `npm run bench` cannot rot. It checks counts against their
// floors, never times: per quiet scope 6 Bedrock calls, 1 Query, 1 GetItem, 0 writes; one AssumeRole per member
// account per warm sandbox; each burst event announced once.
const SMOKE_TIMEOUT_MS = 45_000;
const BASE = { finished: 1_000, open: 50, seed: 7 } as const;
const FAN_OUT: EstateSpec = {
  ...BASE,
  accounts: 3,
  regions: 1,
  sandboxes: 3,
  snapshot: "first-run",
  rounds: 3,
  sequential: true,
  burst: { events: 30, batchSize: 100, concurrency: 2 },
};
const SEEDED: EstateSpec = {
  ...BASE,
  accounts: 2,
  regions: 2,
  sandboxes: 4,
  snapshot: "seeded",
  rounds: 2,
  sequential: false,
};

describe("npm run bench, estate part, smoke-sized", () => {
  let report: EstateReport;
  let fanOut: EstateResult;
  let seeded: EstateResult;

  beforeAll(async () => {
    report = await runEstateBench([FAN_OUT, SEEDED]);
    [fanOut, seeded] = report.results as [EstateResult, EstateResult];
  }, SMOKE_TIMEOUT_MS);

  it("keeps every quiet scope at the floor: 6 Bedrock calls, 1 Query, 1 GetItem, no write, nothing published", () => {
    for (const result of [fanOut, seeded]) {
      const quiet = quietRounds(result);
      expect(quiet.length, `${result.scopes} scopes`).toBe(2);
      for (const round of quiet) {
        const label = `${result.scopes} scopes, round ${round.round}`;
        expect(round.invocations, label).toBe(result.scopes);
        expect(round.outcomes, label).toEqual({ quiet: result.scopes });
        expect(round.perScope.bedrock, label).toMatchObject({ min: 6, max: 6 });
        expect(round.perScope.getCalls.max, label).toBe(0);
        expect(round.perScope.query, label).toMatchObject({ min: 1, max: 1 });
        expect(round.perScope.getItem, label).toMatchObject({ min: 1, max: 1 });
        expect(round.perScope.writes.max, label).toBe(0);
        expect(round.dynamodbUnattributed, label).toBe(0);
        expect(round.published, label).toBe(0);
      }
    }
  });

  it("baselines every scope on its first run, silently", () => {
    // Assess: round 1 of the fan-out case lists each scope's 8-day window and writes its open rows.
    const first = fanOut.rounds[0];
    expect(first?.outcomes).toEqual({ baseline: 3 });
    expect(first?.published).toBe(0);
    expect(first?.perScope.writes.min).toBeGreaterThanOrEqual(50);
    expect(seeded.snapshot).toMatchObject({ method: "seeded", rows: 4 * 50 });
  });

  it("assumes each member account's role once per warm sandbox", () => {
    // Assess
    for (const result of [fanOut, seeded]) {
      expect(result.assumeRole.memberAccounts).toBe(result.spec.accounts - 1);
      expect(result.assumeRole.maxPerSandboxPerAccount).toBe(1);
      expect(result.assumeRole.perAccount).toEqual(result.assumeRole.sandboxesPerAccount);
    }
  });

  it("announces each burst event once, in PublishBatch calls of up to 10, one lease per scope per batch", () => {
    // Assess
    const burst = fanOut.burst;
    expect(burst).toBeDefined();
    expect(burst?.events).toBe(30);
    expect(burst?.messages).toBe(30);
    expect(burst?.nextRoundPublished).toBe(0);
    expect(burst?.failedInvocations).toBe(0);
    expect(burst?.bedrockGets).toBe(30);
    expect(burst?.publishBatch).toBeGreaterThanOrEqual(3);
    expect(burst?.publishBatch).toBeLessThanOrEqual(burst?.scopeBatches ?? 0);
    expect(burst?.leaseAcquired).toBe(burst?.scopeBatches);
    expect(burst?.leaseAttempts).toBeGreaterThanOrEqual(burst?.leaseAcquired ?? 0);
  });

  it("renders the estate section and checks its targets", () => {
    // Act
    const markdown = renderEstate(report, "vitest run test/bench").join("\n");
    const checks = checkEstateTargets(report);

    // Assess: the quiet-floor target is decided by counts; the timed targets need the full sizes.
    expect(markdown).toContain("## Estate");
    expect(markdown).toContain("| 3 | 3 × 1 |");
    expect(checks[0]?.met).toBe(true);
    expect(checks[1]?.met).toBeUndefined();
    expect(checks[2]?.met).toBeDefined();
  });
});
