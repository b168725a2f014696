import { SSMClient } from "@aws-sdk/client-ssm";
import { boundedClient } from "../src/adapters/request-deadline";
import { SecureParameters } from "../src/adapters/secure-parameter";
import { WebhookClient } from "../src/adapters/webhook";
import { parseWebhookConfig } from "../src/config/channel-config";
import { WebhookChannel } from "../src/notify/channels/webhook";
import { notifyHandler } from "./notify-runtime";

// One handler, deployed once per webhook (Slack, Teams): WEBHOOK_FORMAT picks the renderer and
// WEBHOOK_URL_PARAMETER names the SecureString that holds the URL. The URL is fetched on first use, not here.
const config = parseWebhookConfig(process.env);

export const handler = notifyHandler(
  new WebhookChannel(
    config.format,
    config.urlParameterName,
    new SecureParameters(boundedClient(SSMClient, {}), { maxAgeSeconds: config.secretCacheMs / 1000 }),
    new WebhookClient({ timeoutMs: config.timeoutMs }),
    config.allowedHosts,
    { accountAliases: config.accountAliases },
  ),
);
