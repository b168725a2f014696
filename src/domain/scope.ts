import { parseJobArn } from "./job";

/**
 * What one deployment watches is a set of scopes: one (account, region) pair each. A scope has its own watermark,
 * lease, open jobs and deep reconciliation, so one slow or denied scope never holds up another.
 */
export interface Scope {
  accountId: string;
  region: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);
export const isRegion = (value: string): boolean => REGION.test(value);

/** "123456789012/us-east-1": the scope's name in logs, metrics (the Scope dimension), messages and queue bodies. */
export function scopeId(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

export function parseScopeId(value: string): Scope | undefined {
  const [accountId, region, ...rest] = value.split("/");
  if (rest.length > 0 || !accountId || !region || !isAccountId(accountId) || !isRegion(region)) return undefined;
  return { accountId, region };
}

export function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}

/** The scope a job belongs to, from its ARN; undefined for a malformed ARN. */
export function scopeOfJob(jobArn: string): Scope | undefined {
  const parts = parseJobArn(jobArn);
  return parts ? { accountId: parts.accountId, region: parts.region } : undefined;
}

/** Every (account, region) pair, accounts first: the order the dispatcher enqueues them in. */
export function scopesOf(accounts: readonly string[], regions: readonly string[]): Scope[] {
  return accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
}

/**
 * Which scopes a deployment watches: a fixed list of accounts, or every active account of the organization
 * (known only when the dispatcher asks), in each configured region.
 */
export interface Estate {
  regions: readonly string[];
  /** null: the organization's active accounts, discovered at each dispatch. */
  accounts: readonly string[] | null;
}

export function inEstate(estate: Estate, scope: Scope): boolean {
  return (
    estate.regions.includes(scope.region) && (estate.accounts === null || estate.accounts.includes(scope.accountId))
  );
}

/** Readable account names for people (`accountAliases=123456789012:prod,...`); the id when there is none. */
export function accountLabel(accountId: string, aliases: ReadonlyMap<string, string>): string {
  const alias = aliases.get(accountId);
  return alias ? `${alias} (${accountId})` : accountId;
}
