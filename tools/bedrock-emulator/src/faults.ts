import type { Operation } from "./model";
import { mulberry32, type Random } from "./random";

/** Fault rates for one operation; rates are probabilities in [0, 1]. */
export interface FaultRates {
  throttleRate?: number;
  serverErrorRate?: number;
  latencyMs?: number;
}

export interface FaultOptions extends FaultRates {
  /** Seed of the fault sequence; defaults to the emulator seed. Same seed and calls, same faults. */
  seed?: number;
  /** Operations the global rates apply to; all four when left out. */
  operations?: Operation[];
  /** Extension: rates for one operation, replacing the global ones for it. */
  perOperation?: Partial<Record<Operation, FaultRates>>;
}

export type FaultDecision =
  | { kind: "none"; latencyMs: number }
  | { kind: "throttle"; latencyMs: number }
  | { kind: "serverError"; latencyMs: number };

function checkRate(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

function checkLatency(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`latencyMs must be a finite number >= 0, got ${value}`);
  return value;
}

interface ResolvedRates {
  throttleRate: number;
  serverErrorRate: number;
  latencyMs: number;
}

function resolve(rates: FaultRates, label: string): ResolvedRates {
  const throttleRate = checkRate(`${label}throttleRate`, rates.throttleRate);
  const serverErrorRate = checkRate(`${label}serverErrorRate`, rates.serverErrorRate);
  if (throttleRate + serverErrorRate > 1)
    throw new RangeError(`${label}throttleRate + serverErrorRate must not exceed 1`);
  return { throttleRate, serverErrorRate, latencyMs: checkLatency(rates.latencyMs) };
}

const NO_FAULTS: ResolvedRates = { throttleRate: 0, serverErrorRate: 0, latencyMs: 0 };

/**
 * Decides, per request, whether to throttle (429), fail (500) or just delay. One draw from a seeded PRNG per
 * request of an affected operation, so a given seed and call sequence always produce the same faults.
 */
export class FaultInjector {
  private random: Random;
  private byOperation = new Map<Operation, ResolvedRates>();
  private globalRates: ResolvedRates = NO_FAULTS;
  private globalOperations: ReadonlySet<Operation> | undefined;

  constructor(
    private readonly defaultSeed: number,
    options: FaultOptions = {},
  ) {
    this.random = mulberry32(defaultSeed);
    this.configure(options);
  }

  /** Replaces all fault settings and restarts the sequence from the seed. */
  configure(options: FaultOptions): void {
    const globalRates = resolve(options, "");
    const byOperation = new Map<Operation, ResolvedRates>();
    for (const [operation, rates] of Object.entries(options.perOperation ?? {})) {
      if (rates) byOperation.set(operation as Operation, resolve(rates, `perOperation.${operation}.`));
    }
    this.globalRates = globalRates;
    this.globalOperations = options.operations ? new Set(options.operations) : undefined;
    this.byOperation = byOperation;
    this.random = mulberry32(options.seed ?? this.defaultSeed);
  }

  decide(operation: Operation): FaultDecision {
    const rates = this.ratesFor(operation);
    if (rates === NO_FAULTS) return { kind: "none", latencyMs: 0 };
    const draw = this.random();
    if (draw < rates.throttleRate) return { kind: "throttle", latencyMs: rates.latencyMs };
    if (draw < rates.throttleRate + rates.serverErrorRate) return { kind: "serverError", latencyMs: rates.latencyMs };
    return { kind: "none", latencyMs: rates.latencyMs };
  }

  private ratesFor(operation: Operation): ResolvedRates {
    const specific = this.byOperation.get(operation);
    if (specific) return specific;
    if (this.globalOperations && !this.globalOperations.has(operation)) return NO_FAULTS;
    const { throttleRate, serverErrorRate, latencyMs } = this.globalRates;
    return throttleRate === 0 && serverErrorRate === 0 && latencyMs === 0 ? NO_FAULTS : this.globalRates;
  }
}
