import type { SsmSecret } from "../adapters/ssm-secret";
import type { WebhookClient } from "../adapters/webhook";
import type { JobStatusEvent } from "../domain/event";
import { renderSlack } from "../domain/render/slack";
import { renderTeams } from "../domain/render/teams";
import type { NotificationChannel } from "./channel";

export type WebhookFormat = "slack" | "teams";

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
    private readonly secrets: Pick<SsmSecret, "get">,
    private readonly client: Pick<WebhookClient, "postJson">,
  ) {
    this.name = format;
  }

  async deliver(event: JobStatusEvent): Promise<void> {
    const body = RENDERERS[this.name](event);
    const url = await this.secrets.get(this.urlParameterName);
    await this.client.postJson(url, body);
  }
}
