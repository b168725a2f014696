/** Calls and faults of one (account, region) scope. */
export interface ScopeStats {
  calls: Record<string, number>;
  faults: { throttled: number; serverErrors: number; accessDenied: number };
}

/** The emulated STS: AssumeRole calls in all, per account of the role asked for, and how many were denied. */
export interface StsStats {
  assumeRole: number;
  assumeRoleByAccount: Record<string, number>;
  accessDenied: number;
}

/** What the emulator served: lets a benchmark count API calls and bytes without a proxy. */
export interface EmulatorStats {
  /** Bedrock calls of every scope together (STS calls are counted under `sts`). */
  calls: Record<string, number>;
  responseBytes: Record<string, number>;
  faults: { throttled: number; serverErrors: number };
  /** Per scope, keyed "<account>:<region>"; only scopes that were called appear. */
  byScope: Record<string, ScopeStats>;
  sts: StsStats;
  /** Requests for a region outside `regions`, whose connection was dropped, per region. */
  unofferedRegions: Record<string, number>;
}

interface ScopeCounters {
  calls: Map<string, number>;
  throttled: number;
  serverErrors: number;
  accessDenied: number;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export class StatsRecorder {
  private calls = new Map<string, number>();
  private bytes = new Map<string, number>();
  private throttled = 0;
  private serverErrors = 0;
  private scopes = new Map<string, ScopeCounters>();
  private assumeRole = 0;
  private assumeRoleByAccount = new Map<string, number>();
  private assumeRoleDenied = 0;
  private unoffered = new Map<string, number>();

  recordResponse(operation: string, bytes: number, scopeKey: string): void {
    increment(this.calls, operation);
    this.bytes.set(operation, (this.bytes.get(operation) ?? 0) + bytes);
    increment(this.scope(scopeKey).calls, operation);
  }

  recordThrottle(scopeKey: string): void {
    this.throttled++;
    this.scope(scopeKey).throttled++;
  }

  recordServerError(scopeKey: string): void {
    this.serverErrors++;
    this.scope(scopeKey).serverErrors++;
  }

  recordAccessDenied(scopeKey: string): void {
    this.scope(scopeKey).accessDenied++;
  }

  /** One AssumeRole call; the account is that of the role asked for, when the role ARN could be read. */
  recordAssumeRole(accountId: string | undefined): void {
    this.assumeRole++;
    if (accountId !== undefined) increment(this.assumeRoleByAccount, accountId);
  }

  recordAssumeRoleDenied(): void {
    this.assumeRoleDenied++;
  }

  recordUnofferedRegion(region: string): void {
    increment(this.unoffered, region);
  }

  snapshot(): EmulatorStats {
    const byScope: Record<string, ScopeStats> = {};
    for (const [key, counters] of this.scopes)
      byScope[key] = {
        calls: Object.fromEntries(counters.calls),
        faults: {
          throttled: counters.throttled,
          serverErrors: counters.serverErrors,
          accessDenied: counters.accessDenied,
        },
      };
    return {
      calls: Object.fromEntries(this.calls),
      responseBytes: Object.fromEntries(this.bytes),
      faults: { throttled: this.throttled, serverErrors: this.serverErrors },
      byScope,
      sts: {
        assumeRole: this.assumeRole,
        assumeRoleByAccount: Object.fromEntries(this.assumeRoleByAccount),
        accessDenied: this.assumeRoleDenied,
      },
      unofferedRegions: Object.fromEntries(this.unoffered),
    };
  }

  reset(): void {
    this.calls.clear();
    this.bytes.clear();
    this.throttled = 0;
    this.serverErrors = 0;
    this.scopes.clear();
    this.assumeRole = 0;
    this.assumeRoleByAccount.clear();
    this.assumeRoleDenied = 0;
    this.unoffered.clear();
  }

  private scope(key: string): ScopeCounters {
    let counters = this.scopes.get(key);
    if (!counters) {
      counters = { calls: new Map(), throttled: 0, serverErrors: 0, accessDenied: 0 };
      this.scopes.set(key, counters);
    }
    return counters;
  }
}
