import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GALLERY_CASES, GALLERY_CHANNELS } from "../../tools/gallery/cases";
import { galleryReadme } from "../../tools/gallery/index-page";
import { clientMarkdownToMrkdwn, mrkdwnToHtml } from "../../tools/gallery/markup";
import { CHROMIUM_PATH, type Gallery, hasChromium, pngSize, renderGallery } from "../../tools/gallery/render";

const withBrowser = hasChromium();
if (!withBrowser) {
  // A skipped test is easy to miss in a green run: say why, and how to run it.
  console.warn(
    `\n⚠ test/tools/gallery.test.ts: the gallery is NOT rendered — no Chromium at ${CHROMIUM_PATH}.` +
      "\n  Install Debian's: apt-get install -y chromium (CI does, in .ci/run).\n",
  );
}

describe("the gallery's Slack mrkdwn preview", () => {
  it("draws bold, code, links and line breaks, and shows escaped job text as typed", () => {
    // Prepare
    const text = "*Job* `a&lt;b`\n<https://example.com/x?a=1&amp;b=2|Open> &lt;!channel&gt; 2*3*4";

    // Act
    const drawn = mrkdwnToHtml(text);

    // Assess
    expect(drawn).toBe(
      '<b>Job</b> <code>a&lt;b</code><br><a href="https://example.com/x?a=1&amp;b=2">Open</a> &lt;!channel&gt; 2*3*4',
    );
  });

  it("keeps formatting inside code blocks inert and draws the block without empty lines around it", () => {
    expect(mrkdwnToHtml("*Failure reason*\n```*not bold* <x>```\nnext")).toBe(
      '<b>Failure reason</b><pre class="code-block">*not bold* &lt;x&gt;</pre>next',
    );
  });

  it("draws a block whose fences stand on their own lines without empty lines inside it", () => {
    expect(mrkdwnToHtml("*Failure reason*\n```\nline one\nline two\n```\nnext")).toBe(
      '<b>Failure reason</b><pre class="code-block">line one\nline two</pre>next',
    );
  });

  it("turns Amazon Q's client-markdown into Slack's markup, leaving code alone", () => {
    expect(clientMarkdownToMrkdwn("**Job** `**x**` [All jobs](https://example.com/#/jobs)")).toBe(
      "*Job* `**x**` <https://example.com/#/jobs|All jobs>",
    );
  });
});

describe("the picture gallery (npm run gallery)", () => {
  const outDir = mkdtempSync(join(tmpdir(), "gallery-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it.skipIf(!withBrowser)("renders every channel × case in headless Chromium without an error", async () => {
    // Act
    const gallery: Gallery = await renderGallery({ outDir });

    // Assess
    const expected = GALLERY_CASES.flatMap((galleryCase) =>
      GALLERY_CHANNELS.map((channel) => `${channel.id}-${galleryCase.id}.png`),
    );
    expect(gallery.pictures.map((picture) => picture.pngFile).sort()).toEqual(expected.sort());
    for (const picture of gallery.pictures) {
      expect(picture.errors, picture.htmlFile).toEqual([]);
      const png = readFileSync(join(outDir, picture.pngFile));
      expect(pngSize(png), picture.pngFile).toEqual({ width: 800, height: picture.png.height });
      // A blank page still makes a small PNG: a message is taller than the caption and weighs more.
      expect(picture.png.height, picture.pngFile).toBeGreaterThan(200);
      expect(png.length, picture.pngFile).toBeGreaterThan(20_000);

      // The caption alone is about 120 characters; every message says far more than that.
      expect(picture.textChars, picture.htmlFile).toBeGreaterThan(300);

      const html = readFileSync(join(outDir, picture.htmlFile), "utf8");
      // Each saved page links its channel's one stylesheet, written beside it, rather than repeating it.
      expect(html, picture.htmlFile).toContain(`<link rel="stylesheet" href="${picture.channel.id}.css">`);
      expect(
        readFileSync(join(outDir, `${picture.channel.id}.css`), "utf8").length,
        picture.channel.id,
      ).toBeGreaterThan(100);
      if (picture.channel.id === "teams") {
        // Microsoft's renderer drew the card into the post, and the saved page is static (no library left in it).
        expect(picture.cardElements, picture.htmlFile).toBeGreaterThan(5);
        expect(html).toMatch(/<div id="card"><div class="[^"]*\bac-adaptiveCard\b/);
        expect(html).not.toMatch(/<script(?![^>]*application\/json)/);
      }
    }
    const index = galleryReadme(gallery);
    for (const file of expected) expect(index).toContain(`src="${file}"`);
  });
});
