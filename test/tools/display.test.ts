import { describe, expect, it } from "vitest";
import type { DailyDigestEvent } from "../../src/domain/digest";
import { digestLines, digestOutput } from "../../tools/demo/display";
import { DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../../tools/samples/events";

const digest = DIGEST_CASES.digest as DailyDigestEvent;

describe("the demo's digest output (npm start -- --format ...)", () => {
  it("keeps the few digest lines in the line format", () => {
    // Act
    const lines = digestOutput(digest, "line", GOLDEN_ACCOUNT_ALIASES);

    // Assess
    expect(lines).toEqual(digestLines(digest, GOLDEN_ACCOUNT_ALIASES));
    expect(lines[0]).toContain("Daily digest");
  });

  it("shows the digest exactly as each channel receives it in that channel's format", () => {
    // Act
    const [email] = digestOutput(digest, "email", GOLDEN_ACCOUNT_ALIASES);
    const [chat] = digestOutput(digest, "chat", GOLDEN_ACCOUNT_ALIASES);
    const [slack] = digestOutput(digest, "slack", GOLDEN_ACCOUNT_ALIASES);
    const [teams] = digestOutput(digest, "teams", GOLDEN_ACCOUNT_ALIASES);
    const [json] = digestOutput(digest, "json", GOLDEN_ACCOUNT_ALIASES);

    // Assess
    expect(email).toContain("Subject: Bedrock batch jobs, daily digest 2024-08-29: 8 finished, 4 failed or expired");
    expect(email).toContain("== prod (123456789012) · us-east-1 ==");
    expect(JSON.parse(chat ?? "").metadata.threadId).toBe("daily-digest");
    expect(JSON.parse(slack ?? "").blocks[0].text.text).toBe("📊 Bedrock batch jobs — daily digest 2024-08-29");
    expect(JSON.parse(teams ?? "").attachments[0].content.type).toBe("AdaptiveCard");
    expect(JSON.parse(json ?? "")).toEqual(digest);
  });
});
