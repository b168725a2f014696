import type { FirstRunBehaviour } from "./domain/diff";
import { ConfigurationError } from "./errors";

export interface PollConfig {
  snapshotTable: string;
  topicArn: string;
  region: string;
  /** How far back the first run looks, and the window a "notify" first run announces. */
  lookBackMinutes: number;
  firstRun: FirstRunBehaviour;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_LOOKBACK_MINUTES = 7 * 24 * 60;

/**
 * Reads the poll function's environment once, at cold start. Collects every problem before failing so a
 * broken deployment is fixed in one go, each message naming its variable.
 */
export function parsePollConfig(env: Environment): PollConfig {
  const problems: string[] = [];

  const required = (name: string, pattern: RegExp, shape: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required (${shape})`);
    else if (!pattern.test(value)) problems.push(`${name} must be ${shape}, got "${value}"`);
    return value ?? "";
  };

  const snapshotTable = required("SNAPSHOT_TABLE", TABLE_NAME, "a DynamoDB table name");
  const topicArn = required("TOPIC_ARN", TOPIC_ARN, "an SNS topic ARN");
  const region = required("AWS_REGION", REGION, "an AWS region such as us-east-1");

  let lookBackMinutes = 60;
  const rawLookBack = env.LOOKBACK_MINUTES?.trim();
  if (rawLookBack) {
    const parsed = Number(rawLookBack);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_LOOKBACK_MINUTES) {
      problems.push(`LOOKBACK_MINUTES must be a whole number from 1 to ${MAX_LOOKBACK_MINUTES}, got "${rawLookBack}"`);
    } else {
      lookBackMinutes = parsed;
    }
  }

  let firstRun: FirstRunBehaviour = "baseline";
  const rawFirstRun = env.FIRST_RUN?.trim();
  if (rawFirstRun) {
    if (rawFirstRun === "baseline" || rawFirstRun === "notify") firstRun = rawFirstRun;
    else problems.push(`FIRST_RUN must be "baseline" or "notify", got "${rawFirstRun}"`);
  }

  if (problems.length > 0) throw new ConfigurationError(problems);
  return { snapshotTable, topicArn, region, lookBackMinutes, firstRun };
}
