import type { WebhookFormat } from "../../config/channel-config";
import type { JobStatusEvent } from "../../domain/event";
import { renderSlack } from "../../domain/render/slack";
import { renderTeams } from "../../domain/render/teams";
import type { NotificationChannel } from "../channel";
import type { SecretSource, WebhookPoster } from "../ports";

const RENDERERS: Record<WebhookFormat, (event: JobStatusEvent) => string> = {
  slack: renderSlack,
  teams: renderTeams,
};

/**
 * Posts a Slack Block Kit message or a Teams Adaptive Card straight to an incoming webhook. The URL is read
 * from Parameter Store (cached briefly) at delivery time, never from the environment, and never logged.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name: WebhookFormat;

  constructor(
    format: WebhookFormat,
    private readonly urlParameterName: string,
    private readonly secrets: SecretSource,
    private readonly client: WebhookPoster,
  ) {
    this.name = format;
  }

  async deliver(event: JobStatusEvent): Promise<void> {
    const body = RENDERERS[this.name](event);
    const url = await this.secrets.get(this.urlParameterName);
    await this.client.postJson(url, body);
  }
}
