import { FaultInjector, type FaultOptions } from "./faults";
import { deriveSeed } from "./random";
import { type Scope, scopeKey } from "./scopes";

/** Faults for one scope, replacing the global ones there. */
export interface ScopeFaultOptions extends FaultOptions {
  /** Every Bedrock call of the scope answers AccessDeniedException 403, as when the member role lacks permission. */
  accessDenied?: boolean;
}

export interface ScopeFaults {
  injector: FaultInjector;
  accessDenied: boolean;
}

/**
 * Per-scope fault overrides. Kept apart from the scopes' job state so that faulting a scope creates no jobs
 * state for it. Each override has its own PRNG (seeded from faults.seed, else from the emulator seed and the
 * scope), so throttling one scope never shifts the fault sequence of another.
 */
export class ScopeFaultTable {
  private readonly overrides = new Map<string, ScopeFaults>();

  constructor(private readonly emulatorSeed: number) {}

  set(scope: Scope, options: ScopeFaultOptions): void {
    const { accessDenied = false, ...faults } = options;
    const key = scopeKey(scope);
    // Constructing the injector validates the rates before anything is replaced.
    const injector = new FaultInjector(deriveSeed(this.emulatorSeed, `faults:${key}`), faults);
    this.overrides.set(key, { injector, accessDenied });
  }

  clear(scope: Scope): void {
    this.overrides.delete(scopeKey(scope));
  }

  clearAll(): void {
    this.overrides.clear();
  }

  get(key: string): ScopeFaults | undefined {
    return this.overrides.get(key);
  }
}
