import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseResult, CaseSpec } from "./types";

const repoRoot = join(__dirname, "..");

/**
 * Runs one case in a fresh node process (`bench/case.ts`), so that each case's peak RSS is its own, and reads
 * its result back. Its stdout (the handler's logs and metrics) is discarded; its stderr is kept for errors.
 */
export function spawnCase(spec: CaseSpec, timeoutMs = 600_000): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), "bjn-bench-"));
  const resultPath = join(dir, "result.json");
  return new Promise<CaseResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--expose-gc", "--no-warnings", join(__dirname, "case.ts"), JSON.stringify(spec), resultPath],
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
        if (code !== 0) throw new Error(`case ${JSON.stringify(spec)} failed (${signal ?? code}):\n${stderr}`);
        resolve(JSON.parse(readFileSync(resultPath, "utf8")) as CaseResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
