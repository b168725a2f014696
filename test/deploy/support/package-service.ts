import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const repoRoot = resolve(__dirname, "../../..");

/** Build output and caches that a fresh checkout would not have; node_modules is linked, not copied. */
const NOT_COPIED = new Set([".git", "node_modules", ".serverless", ".esbuild", "coverage"]);

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface PackagedService {
  template: CfnTemplate;
  /** Size in bytes of each zip in the package directory, keyed by file name. */
  zipBytes: Record<string, number>;
  /** What the package step printed (stdout and stderr). */
  output: string;
}

export interface PackageOptions {
  stage?: string;
  region?: string;
  params?: Record<string, string>;
}

/**
 * Runs `serverless package` on a private copy of the working tree, so the run leaves nothing in the
 * repository and cannot trip over a concurrent one (serverless-esbuild stages its build in `<service>/.esbuild`).
 * Offline: the fake credentials are never used, packaging makes no AWS calls.
 */
export async function packageService(options: PackageOptions = {}): Promise<PackagedService> {
  const workDir = mkdtempSync(join(tmpdir(), "bjn-package-"));
  try {
    const serviceDir = copyWorkingTree(workDir);
    const outDir = join(workDir, "out");
    const output = await runServerless(serviceDir, ["package", "--package", outDir, ...cliOptions(options)]);

    const template = JSON.parse(
      readFileSync(join(outDir, "cloudformation-template-update-stack.json"), "utf8"),
    ) as CfnTemplate;
    const zipBytes: Record<string, number> = {};
    for (const file of readdirSync(outDir).filter((name) => name.endsWith(".zip"))) {
      zipBytes[file] = statSync(join(outDir, file)).size;
    }
    return { template, zipBytes, output };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs `serverless package` expecting it to fail; resolves with the combined output. */
export async function packageServiceExpectingFailure(options: PackageOptions = {}): Promise<string> {
  const workDir = mkdtempSync(join(tmpdir(), "bjn-package-"));
  try {
    const serviceDir = copyWorkingTree(workDir);
    try {
      await runServerless(serviceDir, ["package", "--package", join(workDir, "out"), ...cliOptions(options)]);
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      return `${stdout}\n${stderr}`;
    }
    throw new Error(`serverless package succeeded with ${JSON.stringify(options)}, expected a failure`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function cliOptions({ stage = "dev", region = "us-east-1", params = {} }: PackageOptions): string[] {
  return [
    "--stage",
    stage,
    "--region",
    region,
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
  ];
}

function copyWorkingTree(workDir: string): string {
  const serviceDir = join(workDir, "service");
  cpSync(repoRoot, serviceDir, {
    recursive: true,
    // A top-level entry's relative path is its bare name; skipping a directory skips its contents.
    filter: (source) => !NOT_COPIED.has(relative(repoRoot, source)),
  });
  symlinkSync(join(repoRoot, "node_modules"), join(serviceDir, "node_modules"), "dir");
  return serviceDir;
}

async function runServerless(serviceDir: string, args: string[]): Promise<string> {
  const cli = join(repoRoot, "node_modules", "osls", "bin", "serverless.js");
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...inherited } = process.env;
  const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
    cwd: serviceDir,
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...inherited,
      // Packaging never calls AWS, but the framework's provider setup looks for credentials.
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_CONFIG_FILE: "/dev/null",
      // osls has no telemetry or update check; keep its output to what matters when a run fails.
      SLS_DEPRECATION_DISABLE: "*",
      NO_COLOR: "1",
      CI: "true",
    },
  });
  return `${stdout}\n${stderr}`;
}
