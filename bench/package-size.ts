import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { parse } from "yaml";
import { median } from "./numbers";
import type { PackageFigures } from "./types";
import { zipFiles } from "./zip";

const repoRoot = join(__dirname, "..");
const HANDLER_ENTRY = "handlers/poll.ts";
const BUNDLE_NAME = "handlers/poll.js";
/** The only variables the poll handler needs to load: parsePollConfig fails fast without them. */
const HANDLER_ENV = {
  SNAPSHOT_TABLE: "bedrock-job-notifier-dev-SnapshotTable",
  TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-dev-EventsTopic",
  AWS_REGION: "us-east-1",
};

/** The esbuild options serverless-esbuild derives from serverless.yml's custom.esbuild. */
export function esbuildSettings(path = join(repoRoot, "serverless.yml")): BuildOptions {
  // CloudFormation short tags (!Ref...) are irrelevant here; only custom.esbuild is read.
  const service = parse(readFileSync(path, "utf8"), { logLevel: "silent" }) as {
    custom?: { esbuild?: Record<string, unknown> };
  };
  const settings = service.custom?.esbuild;
  if (!settings) throw new Error("serverless.yml has no custom.esbuild");
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const options: BuildOptions = {
    bundle: settings.bundle !== false,
    minify: settings.minify === true,
    sourcemap: settings.sourcemap === true,
    target: String(settings.target ?? "node18"),
    platform: (settings.platform as BuildOptions["platform"]) ?? "node",
    // serverless-esbuild hands `exclude` to esbuild as externals (its default would be ["aws-sdk"]).
    external: [...list(settings.external), ...list(settings.exclude ?? ["aws-sdk"])],
  };
  if (settings.format) options.format = settings.format as BuildOptions["format"];
  if (settings.mainFields) options.mainFields = list(settings.mainFields);
  return options;
}

/** Time to require the bundle in one fresh node process, and from process start to handler ready. */
function coldImport(bundlePath: string): { importMs: number; readyMs: number } {
  const script = [
    "const started = performance.now();",
    `require(${JSON.stringify(bundlePath)});`,
    "const ready = performance.now();",
    "process.stdout.write(JSON.stringify({ importMs: ready - started, readyMs: ready }));",
  ].join("\n");
  const output = execFileSync(process.execPath, ["--no-warnings", "-e", script], {
    env: { PATH: process.env.PATH ?? "", ...HANDLER_ENV },
    encoding: "utf8",
  });
  return JSON.parse(output) as { importMs: number; readyMs: number };
}

/** Builds the poll function's bundle as `serverless package` would, zips it, and times its cold import. */
export async function measurePackage(importRuns = 9): Promise<PackageFigures> {
  const dir = mkdtempSync(join(tmpdir(), "bjn-package-size-"));
  try {
    const esbuild = esbuildSettings();
    const outfile = join(dir, BUNDLE_NAME);
    mkdirSync(join(dir, "handlers"), { recursive: true });
    await build({ ...esbuild, absWorkingDir: repoRoot, entryPoints: [HANDLER_ENTRY], outfile, logLevel: "error" });
    const bundle = readFileSync(outfile);
    const zip = zipFiles([{ name: BUNDLE_NAME, data: bundle }]);
    writeFileSync(join(dir, "poll.zip"), zip);

    const runs = Array.from({ length: importRuns }, () => coldImport(outfile));
    const round = (value: number): number => Math.round(value * 10) / 10;
    return {
      bundleBytes: bundle.length,
      zipBytes: zip.length,
      coldImportMs: runs.map((run) => round(run.importMs)),
      coldImportMedianMs: round(median(runs.map((run) => run.importMs))),
      processReadyMedianMs: round(median(runs.map((run) => run.readyMs))),
      esbuild: esbuild as Record<string, unknown>,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
