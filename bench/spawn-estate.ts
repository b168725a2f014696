import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EstateResult, EstateSpec } from "./estate-types";

const repoRoot = join(__dirname, "..");

/**
 * Runs one estate case in a fresh node process (`bench/estate-case.ts`, which forks its peers with a large heap) and
 * reads its result back. Its stdout (the handlers' logs, counted there) is discarded; its stderr is kept for errors.
 */
export function spawnEstateCase(spec: EstateSpec, timeoutMs = 1_800_000): Promise<EstateResult> {
  const dir = mkdtempSync(join(tmpdir(), "bjn-estate-"));
  const resultPath = join(dir, "result.json");
  return new Promise<EstateResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--no-warnings", join(__dirname, "estate-case.ts"), JSON.stringify(spec), resultPath],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-8_000);
    });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`estate case ${JSON.stringify(spec)} failed (${signal ?? code}):\n${stderr}`);
        resolve(JSON.parse(readFileSync(resultPath, "utf8")) as EstateResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
