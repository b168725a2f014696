import MarkdownIt from "markdown-it";
import { html, mrkdwnToHtml, clientMarkdownToMrkdwn as toMrkdwn } from "./markup";

/**
 * One self-contained HTML page per message. Slack, Amazon Q and email are drawn here from what the renderers
 * produce; the Teams page is an empty host that Microsoft's Adaptive Cards renderer fills in the browser.
 */

/** Every picture is this wide; the height follows the message. */
export const PAGE_WIDTH = 800;

const EMOJI = `"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"`;

const FRAME_STYLE = `
html, body { margin: 0; padding: 0; }
body { width: ${PAGE_WIDTH}px; -webkit-font-smoothing: antialiased; }
.caption { font: 12px/1.4 "Liberation Sans", Arial, sans-serif; color: #555; background: #eceff1; padding: 6px 16px;
  border-bottom: 1px solid #d5d9dc; }
`;

/**
 * A page with its stylesheets inline, each named (`data-sheet`): the page is drawn from them as they are, and the
 * saved copy links one file per name instead (tools/gallery/render.ts), so pages sharing a sheet share one file.
 */
function page(options: {
  title: string;
  caption: string;
  sheets: Record<string, string>;
  body: string;
  head?: string;
}): string {
  const sheets = Object.entries({ gallery: FRAME_STYLE, ...options.sheets })
    .map(([name, css]) => `<style data-sheet="${name}">\n${css.trim()}\n</style>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${html(options.title)}</title>
${sheets}
${options.head ?? ""}
</head>
<body>
<div class="caption">${html(options.caption)}</div>
${options.body}
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Slack

/** Block Kit as the webhook receives it, typed loosely on purpose: the preview must draw any renderer's blocks. */
interface TextObject {
  type: "plain_text" | "mrkdwn";
  text: string;
}
interface Element {
  type: string;
  text?: TextObject | string;
  url?: string;
  style?: "primary" | "danger";
  alt_text?: string;
}
interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  accessory?: Element;
  elements?: Element[];
}

const SLACK_STYLE = `
body { background: #fff; color: #1d1c1d; font: 15px/1.46668 Lato, "Helvetica Neue", Helvetica, "Liberation Sans",
  Arial, sans-serif, ${EMOJI}; }
.message { display: flex; gap: 8px; padding: 12px 20px 16px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; color: #fff; font-weight: 900; font-size: 13px;
  display: flex; align-items: center; justify-content: center; }
.content { flex: 1; min-width: 0; }
.sender { font-weight: 900; }
.badge { font-size: 10px; font-weight: 700; color: #616061; background: rgba(29,28,29,.13); border-radius: 2px;
  padding: 1px 3px; margin-left: 4px; vertical-align: 1px; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 6px 0 4px; }
.section { margin: 4px 0; overflow-wrap: anywhere; }
.section.with-accessory { display: flex; gap: 12px; justify-content: space-between; align-items: flex-start; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.context { font-size: 12px; line-height: 1.5; color: #616061; margin: 6px 0 2px; display: flex; flex-wrap: wrap;
  gap: 4px 8px; align-items: center; overflow-wrap: anywhere; }
.divider { border: 0; border-top: 1px solid rgba(29,28,29,.13); margin: 10px 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.button { display: inline-block; height: 28px; line-height: 26px; padding: 0 12px; border-radius: 4px;
  border: 1px solid rgba(29,28,29,.3); font-size: 13px; font-weight: 700; color: #1d1c1d; text-decoration: none;
  white-space: nowrap; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { color: #e01e5a; }
a { color: #1264a3; text-decoration: none; }
b { font-weight: 700; }
.text { white-space: pre-wrap; }
code { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; color: #e01e5a;
  background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px; padding: 2px 3px 1px; }
.code-block { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 4px; padding: 8px;
  margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote { margin: 0; padding-left: 12px; border-left: 4px solid #ddd; }
.mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
`;

/** Slack keeps runs of spaces as typed (its message text is pre-wrap); the renderers align with them. */
const spaced = (fragment: string): string => `<span class="text">${fragment}</span>`;

function textHtml(text: TextObject): string {
  return spaced(text.type === "mrkdwn" ? mrkdwnToHtml(text.text) : html(text.text).replace(/\n/g, "<br>"));
}

function elementHtml(element: Element): string {
  if (element.type === "button") {
    const label = typeof element.text === "string" ? element.text : (element.text?.text ?? "");
    const style = element.style ? ` ${element.style}` : "";
    const href = element.url ? ` href="${html(element.url)}"` : "";
    return `<a class="button${style}"${href}>${html(label)}</a>`;
  }
  if (element.type === "mrkdwn" || element.type === "plain_text") {
    return textHtml({ type: element.type, text: typeof element.text === "string" ? element.text : "" });
  }
  // Images would be fetched from the network, which a gallery page must never need.
  throw new Error(`the Slack preview does not draw "${element.type}" elements`);
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case "header":
      return `<div class="header">${html(block.text?.text ?? "")}</div>`;
    case "section": {
      const text = block.text ? `<div>${textHtml(block.text)}</div>` : "";
      const fields = block.fields?.length
        ? `<div class="fields">${block.fields.map((field) => `<div>${textHtml(field)}</div>`).join("")}</div>`
        : "";
      if (!block.accessory) return `<div class="section">${text}${fields}</div>`;
      return `<div class="section with-accessory"><div>${text}${fields}</div>${elementHtml(block.accessory)}</div>`;
    }
    case "context":
      return `<div class="context">${(block.elements ?? []).map(elementHtml).join("")}</div>`;
    case "divider":
      return `<hr class="divider">`;
    case "actions":
      return `<div class="actions">${(block.elements ?? []).map(elementHtml).join("")}</div>`;
    default:
      // A new block type must fail the gallery test, not vanish from the picture.
      throw new Error(`the Slack preview does not draw "${block.type}" blocks`);
  }
}

function slackMessage(sender: { name: string; initials: string; colour: string }, content: string): string {
  return `<div class="message">
<div class="avatar" style="background:${sender.colour}">${html(sender.initials)}</div>
<div class="content">
<div><span class="sender">${html(sender.name)}</span><span class="badge">APP</span></div>
${content}
</div>
</div>`;
}

const NOTIFIER = { name: "bedrock-job-notifier", initials: "BJ", colour: "#2f6f8f" };

/** A Slack incoming-webhook message, drawn from its blocks (the `text` fallback only shows in notifications). */
export function slackPage(json: string, caption: string): string {
  const message = JSON.parse(json) as { text: string; blocks?: Block[] };
  const blocks = (message.blocks ?? []).map(blockHtml).join("\n");
  return page({
    title: message.text,
    caption,
    sheets: { slack: SLACK_STYLE },
    body: slackMessage(NOTIFIER, blocks),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Amazon Q Developer (custom notification, in Slack)

interface CustomNotification {
  content: { title?: string; description?: string; nextSteps?: string[]; keywords?: string[] };
}

/** Drawn over Slack's look (it is Amazon Q in Slack): only what differs. */
const AMAZON_Q_STYLE = `
.notification { border-left: 4px solid #ddd; padding: 2px 0 2px 12px; margin-top: 4px; }
.title { font-weight: 700; margin-bottom: 2px; overflow-wrap: anywhere; }
.title b { font-weight: 900; }
.next-steps { margin: 8px 0 0; }
.next-steps ul { margin: 0; padding-left: 22px; }
.keywords { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 6px; }
.keyword { font-size: 12px; color: #1d1c1d; background: rgba(29,28,29,.06); border: 1px solid rgba(29,28,29,.13);
  border-radius: 10px; padding: 0 8px; }
`;

/**
 * Title, description, next steps and keywords: the four content fields of a custom notification. The title and
 * description in client-markdown, turned into Slack's markup as Amazon Q does; the layout (next steps as a list
 * under the description, keywords as tags at the end) is our preview of it, not Amazon Q's own drawing.
 */
export function amazonQPage(json: string, caption: string): string {
  const { content } = JSON.parse(json) as CustomNotification;
  const markdown = (text: string): string => spaced(mrkdwnToHtml(toMrkdwn(text)));
  const nextSteps = content.nextSteps?.length
    ? `<div class="next-steps"><b>Next Steps</b><ul>${content.nextSteps.map((step) => `<li>${markdown(step)}</li>`).join("")}</ul></div>`
    : "";
  const keywords = content.keywords?.length
    ? `<div class="keywords">${content.keywords.map((word) => `<span class="keyword">${html(word)}</span>`).join("")}</div>`
    : "";
  const body = `<div class="notification">
<div class="title">${markdown(content.title ?? "")}</div>
<div class="section">${markdown(content.description ?? "")}</div>
${nextSteps}
${keywords}
</div>`;
  return page({
    title: content.title ?? "Amazon Q Developer notification",
    caption,
    sheets: { slack: SLACK_STYLE, "amazon-q": AMAZON_Q_STYLE },
    body: slackMessage({ name: "Amazon Q", initials: "Q", colour: "#7b3fe4" }, body),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Amazon Q Developer (the same custom notification, in Microsoft Teams)

/** CommonMark, the standard reading of markdown; raw HTML is shown as text, as chat clients do. */
const commonmark = new MarkdownIt("commonmark", { html: false });

const AMAZON_Q_TEAMS_STYLE = `
body { background: #f5f5f5; color: #242424; font: 14px/1.43 "Segoe UI", "Liberation Sans", Arial, sans-serif,
  ${EMOJI}; }
.message { display: flex; gap: 10px; padding: 14px 20px 18px; }
.avatar { flex: none; width: 32px; height: 32px; border-radius: 50%; background: #7b3fe4; color: #fff;
  font-size: 12px; font-weight: 600; display: flex; align-items: center; justify-content: center; }
.post { flex: 1; min-width: 0; background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.12);
  padding: 8px 12px 12px; overflow-wrap: anywhere; }
.sender { font-weight: 600; font-size: 12px; margin-bottom: 6px; }
.title { font-weight: 700; font-size: 15px; margin-bottom: 6px; }
.title p, .step p { margin: 0; }
p { margin: 0 0 8px; }
a { color: #5b5fc7; text-decoration: none; }
code { font: 12px/1.5 Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; background: #f0f0f0;
  border-radius: 3px; padding: 1px 3px; }
pre { background: #f0f0f0; border-radius: 4px; padding: 8px; margin: 4px 0 8px; white-space: pre-wrap; }
pre code { padding: 0; }
.next-steps ul { margin: 4px 0 0; padding-left: 22px; }
.keywords { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 6px; }
.keyword { font-size: 12px; background: #ebebeb; border-radius: 10px; padding: 0 8px; }
`;

/**
 * The custom notification that the Slack preview draws, read here as standard markdown (CommonMark, by markdown-it):
 * what a client that renders markdown the standard way shows. Amazon Q posts one notification to Teams channels too,
 * in "the target chat platform's markdown"; how Teams draws it was not seen here, so the frame and the place of each
 * field are our reading, like the Slack preview's. The point of the picture: no construct reads differently.
 */
export function amazonQTeamsPage(json: string, caption: string): string {
  const { content } = JSON.parse(json) as CustomNotification;
  const nextSteps = content.nextSteps?.length
    ? `<div class="next-steps"><b>Next Steps</b><ul>${content.nextSteps.map((step) => `<li class="step">${commonmark.render(step)}</li>`).join("")}</ul></div>`
    : "";
  const keywords = content.keywords?.length
    ? `<div class="keywords">${content.keywords.map((word) => `<span class="keyword">${html(word)}</span>`).join("")}</div>`
    : "";
  return page({
    title: content.title ?? "Amazon Q Developer notification",
    caption,
    sheets: { "amazon-q-teams": AMAZON_Q_TEAMS_STYLE },
    body: `<div class="message">
<div class="avatar">Q</div>
<div class="post">
<div class="sender">Amazon Q</div>
<div class="title">${commonmark.render(content.title ?? "")}</div>
<div class="description">${commonmark.render(content.description ?? "")}</div>
${nextSteps}
${keywords}
</div>
</div>`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Email

const EMAIL_STYLE = `
body { background: #fff; color: #202124; font: 14px/1.5 "Liberation Sans", Arial, sans-serif, ${EMOJI}; }
.headers { padding: 14px 20px 10px; border-bottom: 1px solid #e0e0e0; }
.subject { font-size: 18px; font-weight: 700; margin-bottom: 4px; overflow-wrap: anywhere; }
.from { color: #5f6368; font-size: 13px; }
pre { margin: 0; padding: 14px 20px 8px; font: 13px/1.45 "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas,
  monospace, ${EMOJI}; white-space: pre-wrap; overflow-wrap: anywhere; }
.footer { padding: 0 20px 14px; color: #80868b; font-size: 12px; font-style: italic; }
`;

/**
 * The mail as SNS sends it: plain text, from SNS's own sender, and SNS's unsubscribe footer after our text. The
 * renderer's output is "Subject: …", a blank line, then the body (formatEmail).
 */
export function emailPage(rendered: string, caption: string): string {
  const match = /^Subject: (.*)\n\n([\s\S]*)$/.exec(rendered);
  if (!match) throw new Error("the email is not 'Subject: …', a blank line, then the body");
  const [, subject = "", body = ""] = match;
  return page({
    title: subject,
    caption,
    sheets: { email: EMAIL_STYLE },
    body: `<div class="headers">
<div class="subject">${html(subject)}</div>
<div class="from">AWS Notifications &lt;no-reply@sns.amazonaws.com&gt;</div>
</div>
<pre>${html(body)}</pre>
<div class="footer">(SNS appends its unsubscribe link here.)</div>`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Teams

const TEAMS_STYLE = `
body { background: #f5f5f5; color: #242424; font: 14px/1.43 "Segoe UI", "Liberation Sans", Arial, sans-serif,
  ${EMOJI}; }
.message { display: flex; gap: 10px; padding: 14px 20px 18px; }
.avatar { flex: none; width: 32px; height: 32px; border-radius: 50%; background: #5b5fc7; color: #fff;
  font-size: 12px; font-weight: 600; display: flex; align-items: center; justify-content: center; }
.post { flex: 1; min-width: 0; background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.12);
  padding: 8px 12px 12px; }
.sender { font-weight: 600; font-size: 12px; margin-bottom: 6px; }
.sender span { color: #616161; font-weight: 400; }
#card { border: 1px solid #e0e0e0; border-radius: 4px; overflow: hidden; }
/* The renderer gives markdown lists width: 100% on top of the browser's 40px indent, which clips their right edge;
   hosts style lists themselves (Teams indents less). */
#card .ac-textBlock ul, #card .ac-textBlock ol { box-sizing: border-box; padding-left: 24px; }
`;

/**
 * An empty post with the card's JSON beside it: the page script (teams-card.browser.js) renders the card with
 * Microsoft's renderer. The JSON stays in the saved page as an inert data block, so the input can be read there.
 */
export function teamsPage(json: string, caption: string, adaptiveCardsCss: string): string {
  const message = JSON.parse(json) as { attachments?: Array<{ content?: unknown }> };
  if (!message.attachments?.[0]?.content) throw new Error("the Teams message holds no Adaptive Card");
  // "</script>" inside a job name must not end the data block early.
  const data = JSON.stringify(message).replace(/</g, "\\u003c");
  return page({
    title: "Microsoft Teams Adaptive Card",
    caption,
    sheets: { adaptivecards: adaptiveCardsCss, teams: TEAMS_STYLE },
    head: `<script type="application/json" id="card-json">${data}</script>`,
    body: `<div class="message">
<div class="avatar">BJ</div>
<div class="post">
<div class="sender">bedrock-job-notifier <span>via Workflows</span></div>
<div id="card"></div>
</div>
</div>`,
  });
}
