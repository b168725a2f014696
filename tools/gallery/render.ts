import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { GALLERY_CASES, GALLERY_CHANNELS, type GalleryCase, type GalleryChannel, renderCase } from "./cases";
import { amazonQPage, amazonQTeamsPage, emailPage, PAGE_WIDTH, slackPage, teamsPage } from "./pages";

/**
 * Debian's chromium package. Playwright never downloads a browser here: the gallery drives the one the system
 * has (CI installs it in .ci/run), so the pictures come from a browser the distribution maintains.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/**
 * The machine's network is closed: without the background-networking flags Chromium keeps dialling Google's
 * hosts. Playwright adds --headless and --no-sandbox (needed as root) itself.
 */
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--font-render-hinting=none",
];

const ADAPTIVE_CARDS_JS = require.resolve("adaptivecards/dist/adaptivecards.min.js");
const ADAPTIVE_CARDS_CSS = require.resolve("adaptivecards/dist/adaptivecards.css");
// markdown-it's exports map hides its browser bundle; Adaptive Cards uses window.markdownit when it is present.
const MARKDOWN_IT_JS = join(
  dirname(require.resolve("markdown-it/package.json")),
  "dist/browser/markdown-it.umd.min.js",
);
const TEAMS_CARD_JS = join(__dirname, "teams-card.browser.js");

export interface GalleryPicture {
  channel: GalleryChannel;
  galleryCase: GalleryCase;
  /** File names inside the output folder: `<channel>-<case>.html` and `.png`. */
  htmlFile: string;
  pngFile: string;
  /** Page errors, console errors and failed requests while the page rendered: none, or the picture is wrong. */
  errors: string[];
  png: { bytes: number; width: number; height: number };
  /** Characters of text the page shows, caption included: a page that drew nothing shows little more than it. */
  textChars: number;
  /** Teams only: how many elements Microsoft's renderer put into the post. */
  cardElements: number | null;
}

export interface GalleryOptions {
  outDir: string;
  cases?: readonly GalleryCase[];
  channels?: readonly GalleryChannel[];
  executablePath?: string;
}

export const fileStem = (channel: GalleryChannel, galleryCase: GalleryCase): string =>
  `${channel.id}-${galleryCase.id}`;

function captionOf(channel: GalleryChannel, galleryCase: GalleryCase): string {
  const how = {
    slack: "preview of the Block Kit blocks (not Slack's own renderer)",
    teams: "rendered by Microsoft's adaptivecards renderer, default host config",
    "amazon-q": "preview of the custom notification as Amazon Q posts it to Slack (not Amazon Q's own renderer)",
    "amazon-q-teams":
      "the same notification read as standard markdown (markdown-it, CommonMark), in a Teams frame (not Amazon Q's own renderer)",
    email: "the plain-text body SNS mails",
  }[channel.id];
  return `${channel.title} · ${galleryCase.title} · ${how}`;
}

function pageOf(channel: GalleryChannel, galleryCase: GalleryCase): string {
  const rendered = renderCase(channel, galleryCase);
  const caption = captionOf(channel, galleryCase);
  switch (channel.id) {
    case "slack":
      return slackPage(rendered, caption);
    case "amazon-q":
      return amazonQPage(rendered, caption);
    case "amazon-q-teams":
      return amazonQTeamsPage(rendered, caption);
    case "email":
      return emailPage(rendered, caption);
    case "teams":
      return teamsPage(rendered, caption, readFileSync(ADAPTIVE_CARDS_CSS, "utf8"));
  }
}

/** Width and height from the PNG's IHDR chunk: the test checks the picture, not only that a file exists. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = "89504e470d0a1a0a";
  if (png.subarray(0, 8).toString("hex") !== signature) throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Fills the empty Teams post with Microsoft's renderer, then drops the libraries so the saved page is static. */
async function renderTeamsCard(page: Page): Promise<number> {
  const scripts = [
    await page.addScriptTag({ path: MARKDOWN_IT_JS }),
    await page.addScriptTag({ path: ADAPTIVE_CARDS_JS }),
    await page.addScriptTag({ path: TEAMS_CARD_JS }),
  ];
  const elements = await page.locator("#card .ac-adaptiveCard *").count();
  for (const script of scripts) await script.evaluate((node) => node.remove());
  return elements;
}

/** One page for every picture: a new page per picture costs more than the picture itself. */
class Canvas {
  /** Where the listeners put what went wrong while the current picture rendered. */
  private errors: string[] = [];

  private constructor(private readonly page: Page) {
    page.on("pageerror", (error) => this.errors.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") this.errors.push(`console error: ${message.text()}`);
    });
    page.on("requestfailed", (request) => this.errors.push(`request failed: ${request.url()}`));
  }

  static async open(browser: Browser): Promise<Canvas> {
    const context = await browser.newContext({
      viewport: { width: PAGE_WIDTH, height: 100 },
      deviceScaleFactor: 1,
      locale: "en-US",
      timezoneId: "UTC",
    });
    // Pages are self-contained: any request at all is a mistake, and is refused rather than let through.
    await context.route("**/*", (route) => route.abort());
    return new Canvas(await context.newPage());
  }

  async draw(outDir: string, channel: GalleryChannel, galleryCase: GalleryCase): Promise<GalleryPicture> {
    const errors: string[] = [];
    this.errors = errors;
    const { page } = this;
    await page.setContent(pageOf(channel, galleryCase), { waitUntil: "load" });
    const cardElements = channel.id === "teams" ? await renderTeamsCard(page) : null;
    await page.evaluate("document.fonts.ready");
    const textChars = Number(await page.evaluate("document.body.innerText.length"));

    const png = await page.screenshot({ fullPage: true, animations: "disabled", caret: "hide" });
    const stem = fileStem(channel, galleryCase);
    const htmlFile = `${stem}.html`;
    const pngFile = `${stem}.png`;
    writeFileSync(join(outDir, htmlFile), withSharedStylesheets(outDir, await page.content()));
    writeFileSync(join(outDir, pngFile), png);
    return {
      channel,
      galleryCase,
      htmlFile,
      pngFile,
      errors,
      png: { bytes: png.length, ...pngSize(png) },
      textChars,
      cardElements,
    };
  }
}

export interface Gallery {
  pictures: GalleryPicture[];
  /** The browser's own version, which the index records: fonts and layout follow it. */
  browserVersion: string;
}

/** Renders every channel × case (or the ones given) into `outDir`, one browser for all of them. */
export async function renderGallery(options: GalleryOptions): Promise<Gallery> {
  const cases = options.cases ?? GALLERY_CASES;
  const channels = options.channels ?? GALLERY_CHANNELS;
  mkdirSync(options.outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const canvas = await Canvas.open(browser);
    const pictures: GalleryPicture[] = [];
    for (const galleryCase of cases) {
      for (const channel of channels) pictures.push(await canvas.draw(options.outDir, channel, galleryCase));
    }
    return { pictures, browserVersion: browser.version() };
  } finally {
    await browser.close();
  }
}

/**
 * The saved page links its stylesheets (`<name>.css`, written once beside it) instead of carrying them: every Teams
 * page would otherwise repeat Adaptive Cards' thousand lines of CSS, and every page the frame's. (The page is drawn
 * with them inline: `setContent` has no base address to load a file from.)
 */
function withSharedStylesheets(outDir: string, html: string): string {
  return html.replace(/<style data-sheet="([a-z-]+)">([\s\S]*?)<\/style>/g, (_match, name: string, css: string) => {
    writeFileSync(join(outDir, `${name}.css`), `${css.trim()}\n`);
    return `<link rel="stylesheet" href="${name}.css">`;
  });
}
