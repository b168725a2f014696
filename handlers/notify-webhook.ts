import { Logger } from "@aws-lambda-powertools/logger";
import { SSMClient } from "@aws-sdk/client-ssm";
import { boundedClient } from "../src/adapters/request-deadline";
import { SecureParameters } from "../src/adapters/secure-parameter";
import { WebhookClient } from "../src/adapters/webhook";
import { PacedWebhookPoster } from "../src/adapters/webhook-pacing";
import { parseWebhookConfig } from "../src/config/channel-config";
import { WebhookChannel } from "../src/notify/channels/webhook";
import { RoutedChannel } from "../src/notify/routed-channel";
import { notifyHandler } from "./notify-runtime";
import { DELIVERY_RESERVE_MS, deliveryLedger } from "./people-channel";

// One handler, deployed once per webhook format (Slack, Teams): WEBHOOK_FORMAT picks the renderer, and either
// WEBHOOK_URL_PARAMETER names the one SecureString that holds the URL (the simple params), or WEBHOOK_ROUTES lists
// every webhook of a routes file with its filter, applied here. URLs are fetched on first use, not here.
const config = parseWebhookConfig(process.env);
const secrets = new SecureParameters(boundedClient(SSMClient, {}), { maxAgeSeconds: config.secretCacheMs / 1000 });
// Paced, one post at a time, Retry-After honoured, transient failures retried until the deadline's reserve.
const poster = new PacedWebhookPoster(new WebhookClient(), {
  minIntervalMs: config.minIntervalMs,
  timeoutMs: config.timeoutMs,
  reserveMs: DELIVERY_RESERVE_MS,
});
const channelFor = (parameterName: string) =>
  new WebhookChannel(config.format, parameterName, secrets, poster, config.allowedHosts, {
    accountAliases: config.accountAliases,
  });

export const handler = config.routes
  ? notifyHandler(
      new RoutedChannel(
        config.format,
        config.routes.map((route) => ({
          name: route.name,
          filter: route.filter,
          channel: channelFor(route.target),
          // One ledger per webhook, keyed by its parameter's NAME: the URL is a secret and never reaches the table.
          ledger: deliveryLedger(config.delivery, config.format, route.target),
        })),
        new Logger(),
      ),
    )
  : notifyHandler(channelFor(config.urlParameterName), {
      ledger: deliveryLedger(config.delivery, config.format, config.urlParameterName),
    });
