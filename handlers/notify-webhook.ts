import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { SSMClient } from "@aws-sdk/client-ssm";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import { SsmSecret } from "../src/adapters/ssm-secret";
import { WebhookClient } from "../src/adapters/webhook";
import { parseWebhookConfig } from "../src/notify/config";
import { notifyChannel } from "../src/notify/notify";
import { WebhookChannel } from "../src/notify/webhook-channel";

// One handler, deployed once per webhook (Slack, Teams): WEBHOOK_FORMAT picks the renderer and
// WEBHOOK_URL_PARAMETER names the SecureString that holds the URL. The URL is fetched on first use, not here.
const config = parseWebhookConfig(process.env);
const logger = new Logger({ serviceName: "bedrock-job-notifier" });
const channel = new WebhookChannel(
  config.format,
  config.urlParameterName,
  new SsmSecret(new SSMClient({}), { ttlMs: config.secretCacheMs }),
  new WebhookClient({ timeoutMs: config.timeoutMs }),
);

export const handler = middy((event: SNSEvent) => notifyChannel(event, { channel, logger })).use(
  injectLambdaContext(logger, { clearState: true }),
);
