/**
 * Where a webhook URL may point. A URL read from a parameter is still input: a mistyped or tampered parameter
 * must not make the notifier post a job's failure message to an arbitrary host.
 */

/** The hosts each channel's webhooks live on (Slack's and Microsoft's public documentation). */
export const DEFAULT_WEBHOOK_HOSTS = {
  slack: ["hooks.slack.com"],
  // Teams Workflows (Power Automate) URLs, and the legacy Office 365 connector URLs.
  teams: ["*.logic.azure.com", "*.environment.api.powerplatform.com", "*.webhook.office.com"],
} as const;

const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A host pattern: an exact name, or `*.example.com` for any name below example.com (not example.com itself). */
export function isHostPattern(pattern: string): boolean {
  return HOST_PATTERN.test(pattern);
}

function matches(host: string, pattern: string): boolean {
  if (!pattern.startsWith("*.")) return host === pattern;
  const suffix = pattern.slice(1); // ".example.com"
  return host.endsWith(suffix) && host.length > suffix.length;
}

export type WebhookUrlCheck = { ok: true } | { ok: false; reason: string };

/**
 * https only, on the default port, with no user info, to a host on the list. The reason never quotes the URL's path
 * or query: for Slack and Teams they are the secret.
 */
export function checkWebhookUrl(url: string, allowed: readonly string[]): WebhookUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "it is not a URL" };
  }
  if (parsed.protocol !== "https:")
    return { ok: false, reason: `its scheme is ${parsed.protocol} (only https: is allowed)` };
  if (parsed.username || parsed.password) return { ok: false, reason: "it carries user info" };
  // A non-default port means a server that is not the channel's, whatever the name says.
  if (parsed.port !== "") return { ok: false, reason: `it names port ${parsed.port} (only the default, 443)` };
  const host = parsed.hostname.toLowerCase();
  if (!allowed.some((pattern) => matches(host, pattern.toLowerCase()))) {
    return { ok: false, reason: `its host ${host} is not on the allow-list (${allowed.join(", ")})` };
  }
  return { ok: true };
}
