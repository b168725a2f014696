import { SSMClient } from "@aws-sdk/client-ssm";
import { boundedClient } from "../src/adapters/request-deadline";
import { SecureParameters } from "../src/adapters/secure-parameter";
import { WebhookClient } from "../src/adapters/webhook";
import { PacedWebhookPoster } from "../src/adapters/webhook-pacing";
import { parseWebhookConfig } from "../src/config/channel-config";
import { WebhookChannel } from "../src/notify/channels/webhook";
import { notifyHandler } from "./notify-runtime";
import { DELIVERY_RESERVE_MS, deliveryLedger } from "./people-channel";

// One handler, deployed once per webhook (Slack, Teams): WEBHOOK_FORMAT picks the renderer and
// WEBHOOK_URL_PARAMETER names the SecureString that holds the URL. The URL is fetched on first use, not here.
const config = parseWebhookConfig(process.env);

export const handler = notifyHandler(
  new WebhookChannel(
    config.format,
    config.urlParameterName,
    new SecureParameters(boundedClient(SSMClient, {}), { maxAgeSeconds: config.secretCacheMs / 1000 }),
    // Paced, one post at a time, Retry-After honoured, transient failures retried until the deadline's reserve.
    new PacedWebhookPoster(new WebhookClient(), {
      minIntervalMs: config.minIntervalMs,
      timeoutMs: config.timeoutMs,
      reserveMs: DELIVERY_RESERVE_MS,
    }),
    config.allowedHosts,
    { accountAliases: config.accountAliases },
  ),
  // Keyed by the parameter's NAME: the URL is a secret and never reaches the table.
  { ledger: deliveryLedger(config.delivery, config.format, config.urlParameterName) },
);
