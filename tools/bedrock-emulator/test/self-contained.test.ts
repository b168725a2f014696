import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(folder, entry.name)]
        : [],
  );
}

describe("the emulator", () => {
  it("imports nothing from outside its own folder, so it can be published on its own", () => {
    // Prepare
    const escaping: string[] = [];

    // Act
    for (const file of sources(ROOT)) {
      for (const [, specifier = ""] of readFileSync(file, "utf8").matchAll(/from "(\.[^"]*)"/g)) {
        const target = relative(ROOT, resolve(dirname(file), specifier));
        if (target.startsWith("..")) escaping.push(`${relative(ROOT, file)} → ${specifier}`);
      }
    }

    // Assess
    expect(sources(ROOT).length).toBeGreaterThan(20);
    expect(escaping).toEqual([]);
  });
});
