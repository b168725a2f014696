/**
 * Slack mrkdwn (and Amazon Q Developer's client-markdown, which it turns into Slack's own markup) to HTML, for the
 * gallery's previews. Slack's own reading is the reference: https://api.slack.com/reference/surfaces/formatting.
 * It covers what Block Kit text can hold: *bold*, _italic_, ~strike~, `code`, ```blocks```, <url|links>, mentions,
 * line breaks and `>` quotes. Job text arrives escaped (&amp; &lt; &gt;), exactly as Slack receives it.
 */

/** HTML-escapes text that is about to be written into a page. */
export function html(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Slack's three escapes, undone: what a reader sees. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `<!channel>`, `<@U123>`, `<#C123|name>`, `<url>`, `<url|label>`: Slack's only angle-bracket syntax. */
function angleToHtml(inner: string): string {
  if (inner.startsWith("!")) {
    const [command = "", label] = inner.slice(1).split("|");
    return `<span class="mention">${html(label ?? `@${command.replace(/^subteam\^/, "")}`)}</span>`;
  }
  if (inner.startsWith("@") || inner.startsWith("#")) {
    const [id = "", label] = inner.split("|");
    return `<span class="mention">${html(label ?? id)}</span>`;
  }
  const bar = inner.indexOf("|");
  const url = unescapeSlack(bar === -1 ? inner : inner.slice(0, bar));
  const label = unescapeSlack(bar === -1 ? inner : inner.slice(bar + 1));
  return `<a href="${html(url)}">${html(label)}</a>`;
}

// Placeholders keep code and links out of the emphasis rules; these two characters never occur in messages.
const OPEN = "\u0001";
const CLOSE = "\u0002";
const QUOTE = "\u0003";

/** Emphasis in Slack needs the marker at a word boundary: `a*b*c` stays as typed, `*b*` is bold. */
function emphasis(text: string, marker: string, tag: string): string {
  const m = marker === "*" ? "\\*" : marker;
  const pattern = new RegExp(`(^|[^\\w${m}])${m}(?=\\S)([^${m}\\n]*?[^\\s${m}])${m}(?![\\w${m}])`, "g");
  return text.replace(pattern, `$1<${tag}>$2</${tag}>`);
}

/** One mrkdwn text object as Slack shows it. */
export function mrkdwnToHtml(text: string): string {
  const stash: string[] = [];
  const keep = (fragment: string): string => `${OPEN}${stash.push(fragment) - 1}${CLOSE}`;

  let rest = text
    // A block's line breaks right after the opening fence and right before the closing one are not shown.
    .replace(/```\n?([\s\S]*?)\n?```/g, (_, code: string) =>
      keep(`<pre class="code-block">${html(unescapeSlack(code))}</pre>`),
    )
    .replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${html(unescapeSlack(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, inner: string) => keep(angleToHtml(inner)));

  // A quote is a line that starts with ">" as typed; escaped job text starts "&gt;" and is never one.
  rest = html(unescapeSlack(rest.replace(/^>[ \t]?/gm, QUOTE)));
  rest = emphasis(rest, "*", "b");
  rest = emphasis(rest, "_", "i");
  rest = emphasis(rest, "~", "s");
  rest = rest
    .split("\n")
    .map((line) => (line.startsWith(QUOTE) ? `<blockquote>${line.slice(1)}</blockquote>` : line))
    .join("<br>")
    .replace(/<\/blockquote><br>/g, "</blockquote>");
  return (
    rest
      .replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g"), (_, index: string) => stash[Number(index)] ?? "")
      // A code block is a block of its own: the line breaks around it would show as empty lines.
      .replace(/<br><pre/g, "<pre")
      .replace(/<\/pre><br>/g, "</pre>")
  );
}

/**
 * Amazon Q Developer's client-markdown as it posts it to Slack: "rendered in the target chat platform's markdown"
 * (the custom notifications guide). Standard `**bold**` and `[label](url)` become Slack's `*bold*` and `<url|label>`;
 * code spans and fences are left alone, as are the Slack escapes our renderer already applied.
 */
export function clientMarkdownToMrkdwn(text: string): string {
  return text
    .split(/(```[\s\S]*?```|`[^`\n]+`)/g)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/\*\*([^*\n]+)\*\*/g, "*$1*")
            .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `<${url}|${label}>`),
    )
    .join("");
}
