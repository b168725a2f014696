import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { performanceChart } from "./chart";
import { ESTATE_SIZES, estateSpecs, runEstateBench } from "./estate";
import type { EstateSpec } from "./estate-types";
import { machineInfo } from "./machine";
import { FINISHED, matrix, runsFor } from "./matrix";
import { mergeRuns } from "./merge-runs";
import { formatNumber } from "./numbers";
import { measurePackage } from "./package-size";
import { renderReport } from "./report";
import { spawnCase } from "./spawn-case";
import { checkTargets } from "./targets";
import type { BenchReport, CaseResult, CaseSpec, PollerKind } from "./types";
import { POLLER_KINDS } from "./types";

/**
 * Runs the cases one after the other (parallel runs would disturb each other's wall times), then the package, then
 * the estate cases (many scopes from one deployment), if any.
 */
export async function runBench(options: {
  specs: readonly CaseSpec[];
  estate?: readonly EstateSpec[];
  outDir: string;
  command: string;
  importRuns?: number;
  /** Fresh-process runs per case; defaults to runsFor. */
  runs?: (poller: PollerKind) => number;
  log?: (line: string) => void;
}): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const startedAt = performance.now();
  const runsOf = options.runs ?? runsFor;
  // Repeated runs go in rounds over the whole matrix rather than back to back, so that a slow stretch of a shared
  // machine spreads over every N instead of landing on one.
  const rounds = Math.max(...options.specs.map((spec) => runsOf(spec.poller)));
  const runs = options.specs.map((): CaseResult[] => []);
  const total = options.specs.reduce((count, spec) => count + runsOf(spec.poller), 0);
  let done = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [index, spec] of options.specs.entries()) {
      if (round >= runsOf(spec.poller)) continue;
      const caseStart = performance.now();
      const result = await spawnCase(spec);
      runs[index]?.push(result);
      log(
        `[${++done}/${total}] ${spec.poller.padEnd(6)} N=${formatNumber(spec.finished).padStart(7)} ` +
          `open=${String(spec.open).padStart(3)} changed=${String(spec.changedPercent).padStart(2)}%: ` +
          `poll ${formatNumber(result.measured.wallMs)} ms, quiet ${formatNumber(result.quiet?.wallMs ?? Number.NaN)} ms, ` +
          `${formatNumber((performance.now() - caseStart) / 1000, 1)} s`,
      );
    }
  }
  const cases = runs.map(mergeRuns);
  log("packaging the poll function and timing its cold import");
  const pkg = await measurePackage(options.importRuns);
  const estate = options.estate?.length ? await runEstateBench(options.estate, log) : undefined;
  const report: BenchReport = {
    machine: machineInfo(options.command),
    cases,
    pkg,
    ...(estate ? { estate } : {}),
    totalSeconds: Math.round((performance.now() - startedAt) / 1000),
  };
  writeReport(report, options.outDir);
  return report;
}

/** docs/performance.md and its chart, from one run's results. */
export function writeReport(report: BenchReport, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "performance.svg"), performanceChart(report.cases));
  writeFileSync(join(outDir, "performance.md"), renderReport(report, "performance.svg"));
}

/** Where the last run's raw results are kept, so the report can be rendered again without re-running (--render). */
const RAW_RESULTS = join(tmpdir(), "bedrock-job-notifier-bench.json");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: "string" },
      pollers: { type: "string" },
      out: { type: "string", default: "docs" },
      render: { type: "string" },
      /** Estate sizes (scopes), comma-separated, or "none". */
      estate: { type: "string" },
      /** Runs the estate cases only, and renders them with the matrix of the last full run's raw results. */
      "estate-only": { type: "boolean", default: false },
    },
  });
  const estateSizes =
    values.estate === "none" ? [] : values.estate ? values.estate.split(",").map(Number) : ESTATE_SIZES;
  const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
  const outDir = resolve(values.out ?? "docs");
  let report: BenchReport;
  if (values.render) {
    report = JSON.parse(readFileSync(values.render, "utf8")) as BenchReport;
    writeReport(report, outDir);
  } else if (values["estate-only"]) {
    // The matrix and the package stay those of the last full run (its raw results); only the estate is new.
    if (!existsSync(RAW_RESULTS)) throw new Error(`--estate-only needs the raw results of a full run (${RAW_RESULTS})`);
    const previous = JSON.parse(readFileSync(RAW_RESULTS, "utf8")) as BenchReport;
    const estate = await runEstateBench(estateSpecs(estateSizes), console.log);
    report = { ...previous, estate };
    writeReport(report, outDir);
    writeFileSync(RAW_RESULTS, JSON.stringify(report));
  } else {
    const finished = values.n ? values.n.split(",").map(Number) : FINISHED;
    const pollers = values.pollers ? (values.pollers.split(",") as PollerKind[]) : POLLER_KINDS;
    report = await runBench({
      specs: matrix(finished, pollers),
      estate: estateSpecs(estateSizes),
      outDir,
      command,
      log: console.log,
    });
    writeFileSync(RAW_RESULTS, JSON.stringify(report));
    console.log(`raw results in ${RAW_RESULTS} (npm run bench -- --render ${RAW_RESULTS} renders them again)`);
  }

  console.log(`\nwrote ${relative(process.cwd(), join(outDir, "performance.md"))} and performance.svg`);
  for (const check of checkTargets(report)) {
    const verdict = check.met === undefined ? "not run" : check.met ? "met" : "MISSED";
    console.log(`${verdict.padEnd(7)} ${check.target}: ${check.detail}`);
  }
  console.log(`total ${report.totalSeconds} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
