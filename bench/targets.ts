import { checkEstateTargets } from "./estate-report";
import { findCase, perDay, TRANSITIONS_PER_DAY, totals, transitionsPerDayAtAdvantage } from "./figures";
import { formatNumber } from "./numbers";
import type { BenchReport } from "./types";

export interface TargetCheck {
  target: string;
  /** undefined when the run did not include the cases the target needs (e.g. the smoke run). */
  met: boolean | undefined;
  detail: string;
}

const SMALL = 1_000;
const MEDIUM = 10_000;
const LARGE = 100_000;
const MAX_QUIET_BEDROCK_CALLS = 6;
const MIN_DAILY_ADVANTAGE = 100;
const MAX_GROWTH = 1.2;
export const ZIP_BUDGET_BYTES = 300_000;
export const COLD_IMPORT_BUDGET_MS = 150;

const openCounts = (report: BenchReport): number[] =>
  [...new Set(report.cases.map((result) => result.spec.open))].sort((a, b) => a - b);

const notRun = (target: string): TargetCheck => ({ target, met: undefined, detail: "not in this run" });

/** The targets, checked against one run; each says by how much it is met or missed. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { cases } = report;

  const quietTarget = `quiet poll: same Bedrock calls (≤ ${MAX_QUIET_BEDROCK_CALLS}) and bytes at N = 1,000 and 100,000, 0 DynamoDB writes`;
  for (const open of openCounts(report)) {
    const small = findCase(cases, "ours", SMALL, open, 0);
    const large = findCase(cases, "ours", LARGE, open, 0);
    if (!small || !large) {
      checks.push(notRun(`${quietTarget} (${open} open)`));
      continue;
    }
    const [a, b] = [totals(small.measured.counters), totals(large.measured.counters)];
    const met =
      a.bedrockCalls === b.bedrockCalls &&
      a.bedrockBytes === b.bedrockBytes &&
      b.bedrockCalls <= MAX_QUIET_BEDROCK_CALLS &&
      a.dynamodbWrites + b.dynamodbWrites === 0;
    checks.push({
      target: `${quietTarget} (${open} open)`,
      met,
      detail:
        `${a.bedrockCalls} calls, ${formatNumber(a.bedrockBytes)} B at 1,000; ` +
        `${b.bedrockCalls} calls, ${formatNumber(b.bedrockBytes)} B at 100,000; ` +
        `DynamoDB writes ${a.dynamodbWrites} and ${b.dynamodbWrites}`,
    });
  }

  for (const open of openCounts(report)) {
    const target = `billed requests per day ≥ ${MIN_DAILY_ADVANTAGE}× fewer than the naive poller at N = 10,000 (${open} open)`;
    const ours = [findCase(cases, "ours", MEDIUM, open, 0), findCase(cases, "ours", MEDIUM, open, 10)];
    const naive = [findCase(cases, "naive", MEDIUM, open, 0), findCase(cases, "naive", MEDIUM, open, 10)];
    if (!ours[0] || !ours[1] || !naive[0] || !naive[1]) {
      checks.push(notRun(target));
      continue;
    }
    const [ourDay, naiveDay] = [perDay(ours[0], ours[1]), perDay(naive[0], naive[1])];
    const advantage = naiveDay.billed / ourDay.billed;
    const tipping = transitionsPerDayAtAdvantage(ourDay, naiveDay, MIN_DAILY_ADVANTAGE);
    checks.push({
      target,
      met: advantage >= MIN_DAILY_ADVANTAGE,
      detail:
        `${formatNumber(naiveDay.billed)} vs ${formatNumber(ourDay.billed)} per day at ` +
        `${formatNumber(TRANSITIONS_PER_DAY)} transitions a day: ${formatNumber(advantage)}× fewer; ` +
        `${MIN_DAILY_ADVANTAGE}× holds up to ${formatNumber(tipping)} transitions a day`,
    });
  }

  for (const open of openCounts(report)) {
    const target = `peak RSS and wall time flat in N (≤ ${MAX_GROWTH}× from 1,000 to 100,000, ${open} open)`;
    const pairs = [0, 10].map((percent) => [
      findCase(cases, "ours", SMALL, open, percent),
      findCase(cases, "ours", LARGE, open, percent),
    ]);
    const quiet = pairs[0];
    const busy = pairs[1];
    if (!quiet?.[0] || !quiet[1] || !busy?.[0] || !busy[1]) {
      checks.push(notRun(target));
      continue;
    }
    const growth = (a: number, b: number): number => b / a;
    const rss = growth(quiet[0].measured.memory.processPeakRssMb, quiet[1].measured.memory.processPeakRssMb);
    const rssBusy = growth(busy[0].measured.memory.processPeakRssMb, busy[1].measured.memory.processPeakRssMb);
    const quietWall = growth(quiet[0].quiet?.wallMs ?? Number.NaN, quiet[1].quiet?.wallMs ?? Number.NaN);
    const busyWall = growth(busy[0].measured.wallMs, busy[1].measured.wallMs);
    const quietCpu = growth(quiet[0].quiet?.cpuMs ?? Number.NaN, quiet[1].quiet?.cpuMs ?? Number.NaN);
    const worst = Math.max(rss, rssBusy, quietWall, busyWall);
    checks.push({
      target,
      met: worst <= MAX_GROWTH,
      detail:
        `peak RSS ×${rss.toFixed(2)} (quiet), ×${rssBusy.toFixed(2)} (10 % changed); ` +
        `wall ×${quietWall.toFixed(2)} (quiet, median of ${quiet[1].quiet?.wallMsAll.length ?? 0}), ` +
        `×${busyWall.toFixed(2)} (10 % changed, median of ${busy[1].runs ?? 1} runs); ` +
        `poller CPU ×${quietCpu.toFixed(2)} (quiet)`,
    });
  }

  checks.push({
    target: `zip ≤ ${formatNumber(ZIP_BUDGET_BYTES)} B`,
    met: report.pkg.zipBytes <= ZIP_BUDGET_BYTES,
    detail: `${formatNumber(report.pkg.zipBytes)} B (${((100 * report.pkg.zipBytes) / ZIP_BUDGET_BYTES).toFixed(0)} % of the budget)`,
  });
  checks.push({
    target: `cold import ≤ ${COLD_IMPORT_BUDGET_MS} ms`,
    met: report.pkg.coldImportMedianMs <= COLD_IMPORT_BUDGET_MS,
    detail: `median ${report.pkg.coldImportMedianMs} ms over ${report.pkg.coldImportMs.length} fresh processes`,
  });
  checks.push(...checkEstateTargets(report.estate));
  return checks;
}
