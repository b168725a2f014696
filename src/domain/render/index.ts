import type { NotifierEvent } from "../notifier-event";
import { renderChatbotNotification } from "./chatbot";
import { formatEmail, renderEmail } from "./email";
import type { RenderOptions } from "./facts";
import { renderSlackMessage } from "./slack";
import { renderTeamsMessage } from "./teams";

export type { ChatbotNotification, ChatTopicMessage } from "./chatbot";
export { renderChat, renderChatbotNotification, renderChatTopicMessage } from "./chatbot";
export type { EmailMessage } from "./email";
export { formatEmail, renderEmail } from "./email";
export type { RenderOptions } from "./facts";
export type { SlackMessage } from "./slack";
export { renderSlack, renderSlackMessage } from "./slack";
export type { TeamsMessage } from "./teams";
export { renderTeams, renderTeamsMessage } from "./teams";

export const RENDER_FORMATS = ["email", "chat", "slack", "teams", "json"] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/**
 * The event as one channel would receive it: what the demo prints and the golden files hold. The options (account
 * aliases) shape only the people channels; "json" is the event itself, which always carries the bare account id.
 */
export function renderFor(format: RenderFormat, event: NotifierEvent, options: RenderOptions = {}): string {
  switch (format) {
    case "email":
      return formatEmail(renderEmail(event, options));
    case "chat":
      return JSON.stringify(renderChatbotNotification(event, options), null, 2);
    case "slack":
      return JSON.stringify(renderSlackMessage(event, options), null, 2);
    case "teams":
      return JSON.stringify(renderTeamsMessage(event, options), null, 2);
    case "json":
      return JSON.stringify(event, null, 2);
  }
}
