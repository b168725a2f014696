import { describe, expect, it } from "vitest";
import { checkWebhookUrl, DEFAULT_WEBHOOK_HOSTS, isHostPattern } from "../../src/domain/webhook-hosts";

describe("checkWebhookUrl", () => {
  it.each([
    ["slack", "https://hooks.slack.com/services/T000/B000/XXXX"],
    ["teams", "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x"],
    ["teams", "https://default1234.ab.environment.api.powerplatform.com/powerautomate/automations/direct/x"],
    ["teams", "https://contoso.webhook.office.com/webhookb2/x"],
  ] as const)("accepts a %s webhook on its default hosts: %s", (format, url) => {
    expect(checkWebhookUrl(url, DEFAULT_WEBHOOK_HOSTS[format])).toEqual({ ok: true });
  });

  it.each([
    ["https://hooks.slack.com.evil.com/x", "slack", "its host hooks.slack.com.evil.com is not on the allow-list"],
    ["https://evilhooks.slack.com/x", "slack", "its host evilhooks.slack.com is not on the allow-list"],
    ["https://logic.azure.com/x", "teams", "its host logic.azure.com is not on the allow-list"],
    ["https://evil-logic.azure.com/x", "teams", "its host evil-logic.azure.com is not on the allow-list"],
    ["http://hooks.slack.com/x", "slack", "its scheme is http:"],
    ["https://user@hooks.slack.com/x", "slack", "it carries user info"],
    ["https://hooks.slack.com:8443/x", "slack", "it names port 8443"],
    ["not a url", "slack", "it is not a URL"],
  ] as const)("refuses %s", (url, format, reason) => {
    const check = checkWebhookUrl(url, DEFAULT_WEBHOOK_HOSTS[format]);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).toContain(reason);
  });

  it("never quotes the URL's path or query, which are the secret", () => {
    const check = checkWebhookUrl("https://evil.example/services/T/B/SECRET?sig=SECRET", ["hooks.slack.com"]);
    expect(JSON.stringify(check)).not.toContain("SECRET");
  });
});

describe("isHostPattern", () => {
  it("takes exact names and *.domain patterns, nothing else", () => {
    expect(["hooks.slack.com", "*.logic.azure.com"].every(isHostPattern)).toBe(true);
    expect(["*", "*.com.", "a b.com", "*.*.x.com", "https://hooks.slack.com", "localhost"].some(isHostPattern)).toBe(
      false,
    );
  });
});
