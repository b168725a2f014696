import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { galleryReadme } from "./index-page";
import { CHROMIUM_PATH, hasChromium, renderGallery } from "./render";

/** `npm run gallery`: every channel × case to docs/gallery/, as HTML and PNG, and the index that shows them. */
const OUT_DIR = join(__dirname, "..", "..", "docs", "gallery");
// Only the gallery's own files: a case or channel that was removed must not leave its old picture behind.
const GALLERY_FILE = /^((slack|teams|amazon-q|amazon-q-teams|email)-[a-z0-9-]+\.(html|png)|[a-z-]+\.css)$/;

/** Without a colour emoji font Chromium draws the severity symbols as boxes; the pictures would be committed so. */
function warnWithoutEmojiFont(): void {
  try {
    const families = execFileSync("fc-list", [":charset=1f534", "family"], { encoding: "utf8" });
    if (families.trim() === "") {
      console.warn("No colour emoji font: 🔴 🟠 ✅ 🔵 will show as boxes. apt-get install -y fonts-noto-color-emoji");
    }
  } catch {
    // No fontconfig tools: nothing to tell.
  }
}

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.error(
      `No Chromium at ${CHROMIUM_PATH}. Install Debian's: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
    process.exit(1);
  }
  warnWithoutEmojiFont();
  for (const file of readdirSync(OUT_DIR, { withFileTypes: true })) {
    if (file.isFile() && GALLERY_FILE.test(file.name)) rmSync(join(OUT_DIR, file.name));
  }
  const started = Date.now();
  const gallery = await renderGallery({ outDir: OUT_DIR });
  writeFileSync(join(OUT_DIR, "README.md"), galleryReadme(gallery));

  const failed = gallery.pictures.filter((picture) => picture.errors.length > 0);
  for (const picture of gallery.pictures) {
    const { width, height, bytes } = picture.png;
    console.log(`${picture.pngFile.padEnd(28)} ${width}×${height}  ${Math.round(bytes / 1024)} KB`);
  }
  for (const picture of failed) console.error(`${picture.htmlFile}:\n  ${picture.errors.join("\n  ")}`);
  console.log(
    `${gallery.pictures.length} pictures in docs/gallery/ (${gallery.browserVersion}), ${Date.now() - started} ms`,
  );
  if (failed.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
