import type { FirstRunBehaviour } from "../domain/diff";
import { type Environment, EnvironmentReader, TOPIC_ARN } from "./environment";

/** What the poll and the Bedrock-event function read: both feed one write path. */
export interface PollConfig {
  snapshotTable: string;
  topicArn: string;
  region: string;
  /** How far back the first run looks, and the window a "notify" first run announces. */
  lookBackMinutes: number;
  firstRun: FirstRunBehaviour;
  /** The schedule's interval (the template derives the schedule from the same param). */
  intervalMinutes: number;
  /** How often, at least, the whole lifetime window is listed again. */
  deepReconcileHours: number;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_LOOKBACK_MINUTES = 7 * 24 * 60;

export function parsePollConfig(env: Environment): PollConfig {
  const reader = new EnvironmentReader(env);
  return reader.done({
    snapshotTable: reader.required("SNAPSHOT_TABLE", TABLE_NAME, "a DynamoDB table name"),
    topicArn: reader.required("TOPIC_ARN", TOPIC_ARN, "an SNS topic ARN"),
    region: reader.required("AWS_REGION", REGION, "an AWS region such as us-east-1"),
    lookBackMinutes: reader.wholeNumber("LOOKBACK_MINUTES", 60, 1, MAX_LOOKBACK_MINUTES),
    firstRun: reader.oneOf<FirstRunBehaviour>("FIRST_RUN", ["baseline", "notify"], "baseline"),
    intervalMinutes: reader.wholeNumber("INTERVAL_MINUTES", 5, 1, 1440),
    deepReconcileHours: reader.wholeNumber("DEEP_RECONCILE_HOURS", 24, 1, 24),
  });
}
