import type { JobStatusEvent } from "../event";
import { renderChatbotNotification } from "./chatbot";
import { formatEmail, renderEmail } from "./email";
import { renderSlackMessage } from "./slack";
import { renderTeamsMessage } from "./teams";

export type { ChatbotNotification } from "./chatbot";
export { renderChat, renderChatbotNotification } from "./chatbot";
export type { EmailMessage } from "./email";
export { formatEmail, renderEmail } from "./email";
export type { SlackMessage } from "./slack";
export { renderSlack, renderSlackMessage } from "./slack";
export type { TeamsMessage } from "./teams";
export { renderTeams, renderTeamsMessage } from "./teams";

export const RENDER_FORMATS = ["email", "chat", "slack", "teams", "json"] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** The event as one channel would receive it: what the demo prints and the golden files hold. */
export function renderFor(format: RenderFormat, event: JobStatusEvent): string {
  switch (format) {
    case "email":
      return formatEmail(renderEmail(event));
    case "chat":
      return JSON.stringify(renderChatbotNotification(event), null, 2);
    case "slack":
      return JSON.stringify(renderSlackMessage(event), null, 2);
    case "teams":
      return JSON.stringify(renderTeamsMessage(event), null, 2);
    case "json":
      return JSON.stringify(event, null, 2);
  }
}
