import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NotifierEvent } from "../../../src/domain/notifier-event";
import { RENDER_FORMATS, type RenderFormat, type RenderOptions, renderFor } from "../../../src/domain/render";
import { CASES, DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../../../tools/samples/events";

/**
 * Golden files: the exact text each channel receives, reviewed as files in a diff. The default run compares;
 * `UPDATE_GOLDEN=1 npx vitest run test/domain/render` rewrites them after an intended change.
 */
const GOLDEN_DIR = join(__dirname, "..", "..", "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
/** As deployed with ACCOUNT_ALIASES=123456789012:prod: every people channel shows "prod (123456789012)". */
const OPTIONS: RenderOptions = { accountAliases: GOLDEN_ACCOUNT_ALIASES };

const extension = (format: RenderFormat): string => (format === "email" ? "txt" : "json");
/** Every job event, and the daily digests (a seeded day over several scopes, and an empty day). */
const ALL_CASES: Record<string, NotifierEvent> = { ...CASES, ...DIGEST_CASES };

describe("rendered messages match their golden files", () => {
  for (const [name, event] of Object.entries(ALL_CASES)) {
    for (const format of RENDER_FORMATS) {
      it(`renders the ${name} event for ${format} exactly as the golden file`, () => {
        // Prepare
        const path = join(GOLDEN_DIR, `${name}.${format}.${extension(format)}`);

        // Act
        const rendered = `${renderFor(format, event, OPTIONS)}\n`;

        // Assess
        if (UPDATE) {
          mkdirSync(GOLDEN_DIR, { recursive: true });
          writeFileSync(path, rendered);
          return;
        }
        expect(existsSync(path), `missing golden file ${path}; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
        expect(rendered).toBe(readFileSync(path, "utf8"));
      });
    }
  }
});
