import { type Estate, isAccountId, isRegion, type Scope } from "../domain/scope";
import { ConfigurationError } from "../errors";
import type { EnvironmentReader } from "./environment";

/** Which scopes this deployment watches, and how it reaches the ones in other accounts. */
export interface EstateConfig {
  estate: Estate;
  /** The deployment's own account and region: its scope is read with the function's own role, no AssumeRole. */
  home: Scope;
  /** The role assumed in every other account (the member template creates it). */
  memberRoleName: string;
  partition: string;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * REGIONS and ACCOUNTS are comma lists (defaults: the deployment's region and account); ORGANIZATION=true takes the
 * organization's active accounts instead of ACCOUNTS. A malformed or repeated entry is a configuration error naming
 * the variable: watching a scope twice would double its cost, and a typo would silently watch nothing.
 */
export function readEstateConfig(reader: EnvironmentReader, region: string, topicArn: string): EstateConfig {
  // The template sets HOME_ACCOUNT_ID; without it, the events topic's account is the deployment's own.
  const homeAccount = reader.optional(
    "HOME_ACCOUNT_ID",
    /^\d{12}$/,
    "a 12-digit account id",
    topicArn.split(":")[4] ?? "",
  );
  const regions = commaList(reader, "REGIONS", isRegion, "AWS regions such as us-east-1") ?? [region];
  const organization = reader.oneOf("ORGANIZATION", ["true", "false"], "false") === "true";
  const accounts = commaList(reader, "ACCOUNTS", isAccountId, "12-digit account ids");
  if (organization && accounts)
    reader.problem("ACCOUNTS must be empty when ORGANIZATION=true (the organization lists them)");
  return {
    estate: { regions, accounts: organization ? null : (accounts ?? [homeAccount]) },
    home: { accountId: homeAccount, region },
    memberRoleName: reader.optional("MEMBER_ROLE_NAME", ROLE_NAME, "an IAM role name", "bedrock-job-notifier-reader"),
    partition: partitionOf(region),
  };
}

/** `accountAliases`: "123456789012:prod,210987654321:staging". */
export function readAccountAliases(reader: EnvironmentReader): Map<string, string> {
  const aliases = new Map<string, string>();
  const raw = reader.optional("ACCOUNT_ALIASES", /^.*$/, "", "");
  if (raw === "") return aliases;
  for (const entry of raw.split(",").map((part) => part.trim())) {
    const [accountId, rawAlias, ...rest] = entry.split(":");
    const alias = rawAlias?.trim();
    if (!accountId || !alias || rest.length > 0 || !isAccountId(accountId) || !/^[\w .@+-]{1,64}$/.test(alias)) {
      reader.problem(`ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "${entry}"`);
    } else if (aliases.has(accountId)) {
      reader.problem(`ACCOUNT_ALIASES names account ${accountId} twice`);
    } else aliases.set(accountId, alias);
  }
  return aliases;
}

function commaList(
  reader: EnvironmentReader,
  name: string,
  valid: (value: string) => boolean,
  shape: string,
): string[] | undefined {
  const raw = reader.optional(name, /^.*$/, shape, "");
  if (raw === "") return undefined;
  const values = raw.split(",").map((value) => value.trim());
  const bad = values.filter((value) => !valid(value));
  if (bad.length > 0)
    reader.problem(`${name} must be a comma list of ${shape}, not ${bad.map((v) => `"${v}"`).join(", ")}`);
  const repeated = values.filter((value, index) => values.indexOf(value) !== index);
  if (repeated.length > 0)
    reader.problem(`${name} lists ${[...new Set(repeated)].map((v) => `"${v}"`).join(", ")} more than once`);
  return values;
}

/** The partition follows from the region: ARNs of roles and jobs must name it. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The one scope an in-process poll watches. More than one scope (or the organization's) is the dispatcher's and its
 * workers' (the template deploys them instead of `poll`), so a poll configured with several is a deployment error.
 */
export function onlyScopeOf(config: EstateConfig): Scope {
  const { regions, accounts } = config.estate;
  const [region] = regions;
  const [accountId] = accounts ?? [];
  if (regions.length !== 1 || accounts?.length !== 1 || !region || !accountId) {
    throw new ConfigurationError([
      "the poll function watches exactly one scope (one of REGIONS, one of ACCOUNTS, ORGANIZATION=false); " +
        "several are polled by the dispatch and pollScope functions",
    ]);
  }
  return { accountId, region };
}
