import type { FirstRunBehaviour } from "../domain/diff";
import type { WarningThresholds } from "../domain/warnings";
import { type Environment, EnvironmentReader, TABLE_NAME, TOPIC_ARN } from "./environment";
import { type EstateConfig, readEstateConfig } from "./estate-config";
import { readWarningThresholds } from "./warning-config";

/** What the poll, its workers and the Bedrock-event function read: all feed one write path. */
export interface PollConfig extends EstateConfig {
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
  /** The early warnings' thresholds (0 turns a kind off). */
  warnings: WarningThresholds;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_LOOKBACK_MINUTES = 7 * 24 * 60;

export function parsePollConfig(env: Environment): PollConfig {
  const reader = new EnvironmentReader(env);
  return reader.done(readPollConfig(reader));
}

/** The poll's settings, with every problem recorded in `reader` (for parsers that read more variables). */
export function readPollConfig(reader: EnvironmentReader): PollConfig {
  // Read in this order so problems are reported in it: the table, the topic, the region, then the rest.
  const snapshotTable = reader.required("SNAPSHOT_TABLE", TABLE_NAME, "a DynamoDB table name");
  const topicArn = reader.required("TOPIC_ARN", TOPIC_ARN, "an SNS topic ARN");
  const region = reader.required("AWS_REGION", REGION, "an AWS region such as us-east-1");
  return {
    snapshotTable,
    topicArn,
    region,
    lookBackMinutes: reader.wholeNumber("LOOKBACK_MINUTES", 60, 1, MAX_LOOKBACK_MINUTES),
    firstRun: reader.oneOf<FirstRunBehaviour>("FIRST_RUN", ["baseline", "notify"], "baseline"),
    intervalMinutes: reader.wholeNumber("INTERVAL_MINUTES", 5, 1, 1440),
    deepReconcileHours: reader.wholeNumber("DEEP_RECONCILE_HOURS", 24, 1, 24),
    warnings: readWarningThresholds(reader),
    ...readEstateConfig(reader, region, topicArn),
  };
}
