/**
 * Escaping for text that comes from a job (name, model, failure message, even the status of a future API) and
 * ends up inside a chat message. A job name is chosen by whoever submitted the job, so it must never be able to
 * ping a whole channel, open a fake link or break out of the formatting around it.
 */

/** Slack's three control characters; escaping them is what stops `<!channel>` or `<https://evil|click>`. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A backtick would end a code span or fence early and let the rest be read as markup; U+02CB looks the same to
 * a reader and means nothing to a markdown parser.
 */
export function neutraliseBackticks(text: string): string {
  return text.replace(/`/g, "\u02cb");
}

/** Job text shown as inline code in Slack mrkdwn (and Amazon Q Developer's client-markdown, which renders to it). */
export function slackCode(text: string): string {
  return `\`${neutraliseBackticks(escapeSlack(singleLine(text)))}\``;
}

/** Job text shown as a fenced block in Slack mrkdwn: formatting inside is inert, control characters escaped. */
export function slackCodeBlock(text: string): string {
  return `\`\`\`${neutraliseBackticks(escapeSlack(text))}\`\`\``;
}

/**
 * Adaptive Card TextBlocks and FactSet values read a small markdown subset (bold, italic, lists, links) and show
 * HTML as plain text. Only what that subset reacts to is escaped, with a backslash: emphasis, link brackets, and
 * list markers at the start of a line.
 */
export function escapeTeamsMarkdown(text: string): string {
  return text.replace(/[\\*_[\]]/g, (character) => `\\${character}`).replace(/^(\s*)([-+]|\d+\.)(?=\s)/gm, "$1\\$2");
}

/**
 * A sentence shown as chat text rather than code (a warning's summary): on one line, Slack's control characters
 * escaped, and markdown link brackets swapped for look-alikes, so `[label](url)` cannot disguise a link in a client
 * that renders markdown links (Amazon Q Developer's client-markdown).
 */
export function chatSentence(text: string): string {
  return escapeSlack(singleLine(text)).replace(/\[/g, "\uff3b").replace(/\]/g, "\uff3d");
}

/**
 * Job text for Amazon Q Developer's client-markdown, which one message carries to Slack *and* Microsoft Teams. Slack's
 * entity escapes (`&lt;`) are not portable: CommonMark reads no entity inside a code span or code block, so a
 * standard-markdown client would show `&lt;` where Slack shows `<`. Look-alikes read the same everywhere and mean
 * nothing to either markup: `<` `>` `&` become their fullwidth forms (＜ ＞ ＆), `[` `]` fullwidth brackets (no
 * disguised link) and backticks U+02CB (no early end of a code span or fence). See docs/channels.md.
 */
export function chatText(text: string): string {
  return neutraliseBackticks(
    text
      .replace(/&/g, "\uff06")
      .replace(/</g, "\uff1c")
      .replace(/>/g, "\uff1e")
      .replace(/\[/g, "\uff3b")
      .replace(/\]/g, "\uff3d"),
  );
}

/** Job text as an inline code span in client-markdown: one line, inert in Slack and in CommonMark alike. */
export function chatCode(text: string): string {
  return `\`${chatText(singleLine(text))}\``;
}

/**
 * Job text as a fenced code block in client-markdown. The fences stand on lines of their own: CommonMark (and so any
 * standard-markdown client) only closes a fence on its own line, and Slack reads the same block either way.
 */
export function chatCodeBlock(text: string): string {
  return `\`\`\`\n${chatText(text)}\n\`\`\``;
}

/**
 * Lines of client-markdown joined so that each shows on a line of its own in Slack and in CommonMark: two trailing
 * spaces make a CommonMark hard line break (a bare newline is only a soft break, shown as a space) and are invisible
 * in Slack. A fenced block already sits on its own lines, so the lines around it end with a plain newline.
 */
export function chatLines(lines: readonly string[]): string {
  let out = "";
  lines.forEach((line, index) => {
    if (index === 0) {
      out = line;
      return;
    }
    const previous = lines[index - 1] ?? "";
    out += previous.startsWith("```") || line.startsWith("```") ? `\n${line}` : `  \n${line}`;
  });
  return out;
}

/** Values shown on one line (names, ids): line breaks and other control characters become spaces. */
export function singleLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/** Multi-line text (the failure message): keeps line breaks and tabs, drops other control characters. */
export function withoutControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/** Statuses end up in headers and keywords; a future status is passed through, but only as a plain word. */
export function plainWord(text: string): string {
  const word = text.replace(/[^A-Za-z0-9 _.-]/g, "").trim();
  return word.length > 0 ? word.slice(0, 40) : "Unknown";
}

/**
 * Names and ids longer than any Bedrock allows are clipped before formatting, so a code span is never cut in half
 * and a chat section stays under its limit. Real values (job names ≤ 63 characters) are never clipped.
 */
export const NAME_MAX_CHARS = 500;

export function clip(text: string, max: number = NAME_MAX_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
