/**
 * What each people channel accepts, in one place: the per-event renderers and the daily digest's both fit within
 * these. The SNS limit (email and chat topics) is `SNS_MAX_MESSAGE_BYTES` in `../message.ts`.
 */

/** Block Kit limits that Slack enforces on an incoming webhook message (it rejects the whole message otherwise). */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionTextChars: 3000,
  blocks: 50,
  contextElements: 10,
} as const;

/**
 * Amazon Q Developer renders the description into the chat client's own markdown. It documents no length limit,
 * so we hold the description to Slack's 3,000-character section limit, the strictest client it posts to.
 */
export const CHATBOT_DESCRIPTION_MAX_CHARS = 3000;

/**
 * Teams documents a 28 KB message limit for webhooks and Workflows posts; people who measured report failures
 * from about 21 KB. We stay under 20,000 bytes of JSON.
 */
export const TEAMS_MAX_PAYLOAD_BYTES = 20_000;
