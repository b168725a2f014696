import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { floors, renderDeep, spawnDeepCase } from "../../bench/deep";
import { totals } from "../../bench/figures";
import { quietPollsFor, warmUpPollsFor } from "../../bench/matrix";
import { runBench } from "../../bench/run";
import type { BenchReport, CaseSpec, PollerKind } from "../../bench/types";

// A small run of the real benchmark (N = 1,000, 50 open, 10 % changed, every poller, the package step, the
// report and the chart) so that `npm run bench` cannot rot. It checks that the figures are well formed, and, as a
// sanity check that can fail, that our quiet poll stays at the listing floor and writes nothing. Benchmarks report;
// they never fail on speed.
const SMOKE_TIMEOUT_MS = 30_000;
const POLLERS: PollerKind[] = ["ours", "window", "naive"];

describe("npm run bench, smoke-sized", () => {
  let outDir: string;
  let report: BenchReport;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "bjn-bench-smoke-"));
    const specs: CaseSpec[] = POLLERS.map((poller) => ({
      poller,
      finished: 1_000,
      open: 50,
      changedPercent: 10,
      warmUpPolls: warmUpPollsFor(poller),
      quietPolls: quietPollsFor(poller, 1_000),
      seed: 7,
    }));
    report = await runBench({ specs, outDir, command: "vitest run test/bench", importRuns: 3, runs: () => 1 });
  }, SMOKE_TIMEOUT_MS);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("measures every poller on the same changes and sees each one announced once", () => {
    // Assess
    expect(report.cases.map((result) => result.spec.poller)).toEqual(POLLERS);
    for (const result of report.cases) {
      const figures = totals(result.measured.counters);
      expect(result.changed, result.spec.poller).toBe(5);
      expect(result.measured.published, result.spec.poller).toBe(5);
      expect(figures.snsMessages, result.spec.poller).toBe(5);
      expect(figures.snsCalls, result.spec.poller).toBe(1);
      expect(figures.bedrockCalls, result.spec.poller).toBeGreaterThan(0);
      expect(figures.bedrockBytes, result.spec.poller).toBeGreaterThan(0);
      expect(figures.readUnits, result.spec.poller).toBeGreaterThan(0);
      expect(result.measured.wallMs, result.spec.poller).toBeGreaterThan(0);
      expect(result.measured.memory.processPeakRssMb, result.spec.poller).toBeGreaterThan(0);
      expect(result.measured.memory.peakHeapUsedMb, result.spec.poller).toBeGreaterThan(0);
    }
  });

  it("keeps our quiet poll at the listing floor (≤ 6 Bedrock calls) with no DynamoDB write", () => {
    // Arrange
    const ours = report.cases.find((result) => result.spec.poller === "ours");

    // Act
    const quiet = ours?.quiet ? totals(ours.quiet.counters) : undefined;

    // Assess
    expect(quiet).toBeDefined();
    expect(quiet?.bedrockCalls).toBeLessThanOrEqual(6);
    expect(quiet?.dynamodbWrites).toBe(0);
    expect(quiet?.snsCalls).toBe(0);
  });

  it("packages the poll function and times its cold import", () => {
    // Assess
    expect(report.pkg.zipBytes).toBeGreaterThan(10_000);
    expect(report.pkg.zipBytes).toBeLessThan(report.pkg.bundleBytes);
    expect(report.pkg.coldImportMs).toHaveLength(3);
    expect(report.pkg.coldImportMedianMs).toBeGreaterThan(0);
  });

  it("writes the report and the chart", () => {
    // Act
    const markdown = readFileSync(join(outDir, "performance.md"), "utf8");
    const svg = readFileSync(join(outDir, "performance.svg"), "utf8");

    // Assess
    expect(markdown).toContain("# Performance");
    expect(markdown).toMatch(/\| 1,000 \| 50 \| 10 % \(5\) \| \*\*ours\*\* \|/);
    expect(markdown).toContain("](performance.svg)");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("ours, 50 open");
  });
});

describe("npm run bench:deep, smoke-sized", () => {
  it("lists the 8-day window at its floor, reads each row once in calls of 100, and leaves the next poll quiet", async () => {
    // Act
    const result = await spawnDeepCase(2_000);

    // Assess: counts against their floors (never timings); throttled List calls are retried, so List may exceed it.
    const floor = floors(2_000);
    expect(result.deep.deepReconciled).toBe(true);
    expect(result.deep.windowListed).toBe(2_000 + result.open);
    expect(result.deep.listCalls).toBeGreaterThanOrEqual(floor.list);
    expect(result.deep.batchGets).toBeGreaterThanOrEqual(floor.batchGets);
    expect(result.deep.batchGets).toBeLessThanOrEqual(floor.batchGets + 8);
    expect(result.deep.writes).toBe(2);
    expect(result.quiet).toEqual({ bedrockCalls: 6, queries: 1, getItems: 1, writes: 0, deepReconciled: false });
    expect(renderDeep([result], "test")).toContain("| 2,000 |");
  }, 60_000);
});
