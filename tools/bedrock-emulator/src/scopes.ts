import type { EmulatorIdentity } from "./wire-format";

/** One (account, region) pair: the unit the real service keeps jobs, ids, tokens and quotas in. */
export type Scope = EmulatorIdentity;

const ACCOUNT_ID = /^[0-9]{12}$/;
const REGION = /^[a-z0-9-]{1,20}$/;
const JOB_ARN = /^arn:aws:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):model-invocation-job\/[a-z0-9]{12}$/;

/** "<account>:<region>", the key of stats().byScope. */
export function scopeKey(scope: Scope): string {
  return `${scope.accountId}:${scope.region}`;
}

export function checkScope(scope: Scope): Scope {
  if (!ACCOUNT_ID.test(scope.accountId)) throw new RangeError(`accountId must be 12 digits, got ${scope.accountId}`);
  if (!REGION.test(scope.region)) throw new RangeError(`region must match [a-z0-9-]{1,20}, got ${scope.region}`);
  return scope;
}

/** The scope a job ARN names; undefined for a bare id, another partition or anything else. */
export function scopeOfJobArn(jobArn: string): Scope | undefined {
  const match = JOB_ARN.exec(jobArn);
  return match ? { region: match[1] ?? "", accountId: match[2] ?? "" } : undefined;
}

/**
 * Per-scope state, created on first write. A scope that only ever receives reads (List, Get, Stop of jobs it
 * does not have) gets a throwaway empty state per request and keeps nothing, so a caller sweeping 1,000 empty
 * scopes leaves no trace but their call counters.
 */
export class ScopeRegistry<State> {
  private readonly states = new Map<string, { scope: Scope; state: State }>();

  constructor(private readonly create: (scope: Scope) => State) {}

  get(scope: Scope): State | undefined {
    return this.states.get(scopeKey(scope))?.state;
  }

  getOrCreate(scope: Scope): State {
    const key = scopeKey(scope);
    const existing = this.states.get(key);
    if (existing) return existing.state;
    const state = this.create(scope);
    this.states.set(key, { scope: { accountId: scope.accountId, region: scope.region }, state });
    return state;
  }

  /** The stored state, or a fresh empty one that is not kept: reads must not materialise scopes. */
  forRead(scope: Scope): State {
    return this.get(scope) ?? this.create(scope);
  }

  scopes(): Scope[] {
    return [...this.states.values()].map(({ scope }) => ({ ...scope }));
  }

  get size(): number {
    return this.states.size;
  }
}
