import { type Environment, EnvironmentReader } from "./environment";
import { type PollConfig, readPollConfig } from "./poll-config";

export interface DispatchConfig extends PollConfig {
  scopeQueueUrl: string;
}

const QUEUE_URL = /^https?:\/\/[^\s/]+\/\d{12}\/[\w-]{1,80}$/;

/** The dispatcher reads the poll's configuration (the estate above all) plus the queue it fills. */
export function parseDispatchConfig(env: Environment): DispatchConfig {
  const reader = new EnvironmentReader(env);
  const config = readPollConfig(reader);
  const scopeQueueUrl = reader.required("SCOPE_QUEUE_URL", QUEUE_URL, "an SQS queue URL");
  return reader.done({ ...config, scopeQueueUrl });
}
