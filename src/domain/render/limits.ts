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
 * Amazon Q Developer renders the description into the chat client's own markdown. Its limits, as public code quotes
 * the custom notifications guide (the stored copy of the guide here stops before them, see docs/channels.md): title
 * 250 characters, description 8,000, each next step 350, each keyword 75. We hold the description to 3,000, Slack's
 * section limit, in case Amazon Q posts it as one Block Kit section there.
 */
export const CHATBOT_DESCRIPTION_MAX_CHARS = 3000;
export const CHATBOT_TITLE_MAX_CHARS = 250;
export const CHATBOT_NEXT_STEP_MAX_CHARS = 350;
export const CHATBOT_KEYWORD_MAX_CHARS = 75;
/** The job name in a title is clipped to this, so the whole title stays within 250 (Bedrock's names are ≤ 63). */
export const CHATBOT_TITLE_NAME_MAX_CHARS = 100;

/**
 * Teams documents a 28 KB message limit for webhooks and Workflows posts; people who measured report failures
 * from about 21 KB. We stay under 20,000 bytes of JSON.
 */
export const TEAMS_MAX_PAYLOAD_BYTES = 20_000;
