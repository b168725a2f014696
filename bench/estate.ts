import { PEERS_EXEC_ARGV } from "./estate-case";
import type { EstateReport, EstateResult, EstateSpec, RoundFigures } from "./estate-types";
import { formatNumber, median } from "./numbers";
import { spawnEstateCase } from "./spawn-estate";

/**
 * The estate part of `npm run bench`: rounds of 1, 10, 100 and 1,000 scopes (50 open and 10,000 finished jobs each)
 * through dispatch and a pool of 50 pollScope sandboxes, the AssumeRole calls over 12 rounds, and a burst of 1,000
 * Bedrock events across 10 scopes. Each case runs in fresh processes (bench/estate-case.ts).
 */

/** The targets for the estate. */
export const ESTATE_TARGETS = {
  /** A quiet scope: the listing floor, the snapshot's two reads, nothing written. */
  quiet: { bedrock: 6, query: 1, getItem: 1, writes: 0 },
  roundScopes: 1_000,
  roundConcurrency: 50,
  roundMs: 60_000,
  burstMs: 60_000,
} as const;

/** One hour of the default 5-minute schedule. */
export const ROUNDS_PER_HOUR = 12;
/** A member session is asked for 1 hour (role chaining caps it there) and used until 5 minutes before it expires. */
export const SESSION_USE_MINUTES = 55;
const FINISHED = 10_000;
const OPEN = 50;
const SANDBOXES = 50;

/** accounts × regions for each size: the home account first, member accounts after it. */
const SHAPES: Record<number, { accounts: number; regions: number }> = {
  1: { accounts: 1, regions: 1 },
  10: { accounts: 2, regions: 5 },
  100: { accounts: 10, regions: 10 },
  1000: { accounts: 100, regions: 10 },
};
export const ESTATE_SIZES = Object.keys(SHAPES).map(Number);

/**
 * The cases for the given sizes. Up to 100 scopes, the snapshot reaches steady state by every scope's first run
 * (round 1, through the fan-out); at 1,000, 1,000 first runs would list 2.7 million job summaries through the SDK on
 * this 2-core machine (minutes), so the snapshot is written directly as first runs would leave it (see
 * estateSeedSnapshot) and every round is quiet. The 10-scope case also carries the sequential rounds (durations
 * without contention) and the burst.
 */
export function estateSpecs(sizes: readonly number[] = ESTATE_SIZES, seed = 7): EstateSpec[] {
  return sizes.map((size) => {
    const shape = SHAPES[size];
    if (!shape) throw new RangeError(`estate size ${size}: one of ${ESTATE_SIZES.join(", ")}`);
    return {
      ...shape,
      finished: FINISHED,
      open: OPEN,
      sandboxes: SANDBOXES,
      snapshot: size >= 1_000 ? "seeded" : "first-run",
      rounds: ROUNDS_PER_HOUR,
      sequential: size === 10,
      ...(size === 10 ? { burst: { events: 1_000, batchSize: 100, concurrency: 2 } } : {}),
      seed,
    };
  });
}

export async function runEstateBench(
  specs: readonly EstateSpec[],
  log: (line: string) => void = () => undefined,
): Promise<EstateReport> {
  const startedAt = performance.now();
  const results: EstateResult[] = [];
  for (const spec of specs) {
    const caseStart = performance.now();
    const result = await spawnEstateCase(spec);
    results.push(result);
    const quiet = quietRounds(result);
    log(
      `estate ${formatNumber(result.scopes).padStart(5)} scopes: seed ${formatNumber(result.seedMs)} ms, ` +
        `snapshot (${result.snapshot.method}) ${formatNumber(result.snapshot.ms)} ms, quiet round median ` +
        `${formatNumber(median(quiet.map((round) => round.wallMs)))} ms, peers peak RSS ` +
        `${formatNumber(result.memory.peersPeakRssMb)} MB, ${formatNumber((performance.now() - caseStart) / 1000, 1)} s`,
    );
  }
  return {
    results,
    peersExecArgv: PEERS_EXEC_ARGV,
    totalSeconds: Math.round((performance.now() - startedAt) / 1000),
  };
}

/** The rounds after every scope's first run: quiet ones, the steady state. */
export const quietRounds = (result: EstateResult): RoundFigures[] =>
  result.rounds.filter((round) => !(result.snapshot.method === "first-run" && round.round === 1));
