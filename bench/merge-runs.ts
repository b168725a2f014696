import { median } from "./numbers";
import type { CaseResult } from "./types";

/**
 * Folds repeated runs of one case (each in a fresh process) into one result. Counts are deterministic and taken
 * from the run whose measured wall time is the median; wall times and peak RSS become medians over the runs, so a
 * single noisy run cannot decide whether a figure is "flat in N".
 */
export function mergeRuns(runs: readonly CaseResult[]): CaseResult {
  const [first] = runs;
  if (!first) throw new Error("mergeRuns needs at least one run");
  if (runs.length === 1) return { ...first, runs: 1 };
  const walls = runs.map((run) => run.measured.wallMs);
  const middle = median(walls);
  const chosen = runs.reduce((best, run) =>
    Math.abs(run.measured.wallMs - middle) < Math.abs(best.measured.wallMs - middle) ? run : best,
  );
  const quietWalls = runs.flatMap((run) => run.quiet?.wallMsAll ?? []);
  const quietCpu = runs.flatMap((run) => run.quiet?.cpuMsAll ?? []);
  const quiet = chosen.quiet && {
    ...chosen.quiet,
    wallMs: median(quietWalls),
    cpuMs: median(quietCpu),
    wallMsAll: quietWalls,
    cpuMsAll: quietCpu,
  };
  return {
    ...chosen,
    runs: runs.length,
    ...(quiet ? { quiet } : {}),
    measured: {
      ...chosen.measured,
      wallMs: middle,
      cpuMs: median(runs.map((run) => run.measured.cpuMs)),
      memory: {
        ...chosen.measured.memory,
        processPeakRssMb: median(runs.map((run) => run.measured.memory.processPeakRssMb)),
        peakRssMb: median(runs.map((run) => run.measured.memory.peakRssMb)),
        peakHeapUsedMb: median(runs.map((run) => run.measured.memory.peakHeapUsedMb)),
      },
    },
  };
}
