import type { WebhookFormat } from "../../config/channel-config";
import type { NotifierEvent } from "../../domain/notifier-event";
import type { RenderOptions } from "../../domain/render/facts";
import { renderSlack } from "../../domain/render/slack";
import { renderTeams } from "../../domain/render/teams";
import { checkWebhookUrl, DEFAULT_WEBHOOK_HOSTS } from "../../domain/webhook-hosts";
import { WebhookUrlRefusedError } from "../../errors";
import type { NotificationChannel } from "../channel";
import type { SecretSource, WebhookPoster } from "../ports";

const RENDERERS: Record<WebhookFormat, (event: NotifierEvent, options: RenderOptions) => string> = {
  slack: renderSlack,
  teams: renderTeams,
};

/**
 * Posts a Slack Block Kit message or a Teams Adaptive Card straight to an incoming webhook. The URL is read
 * from Parameter Store (cached briefly) at delivery time, never from the environment, and never logged; it must be
 * https to one of the channel's allowed hosts, or nothing is posted.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name: WebhookFormat;

  constructor(
    format: WebhookFormat,
    private readonly urlParameterName: string,
    private readonly secrets: SecretSource,
    private readonly client: WebhookPoster,
    private readonly allowedHosts: readonly string[] = DEFAULT_WEBHOOK_HOSTS[format],
    private readonly options: RenderOptions = {},
  ) {
    this.name = format;
  }

  async deliver(event: NotifierEvent): Promise<void> {
    const body = RENDERERS[this.name](event, this.options);
    const url = await this.secrets.get(this.urlParameterName);
    const check = checkWebhookUrl(url, this.allowedHosts);
    if (!check.ok) throw new WebhookUrlRefusedError(this.urlParameterName, check.reason);
    await this.client.postJson(url, body);
  }
}
