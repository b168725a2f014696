import { readFileSync } from "node:fs";
import { availableParallelism, cpus, platform, release, totalmem } from "node:os";
import type { MachineInfo } from "./types";

/** Where the numbers were taken: they are only comparable on the same kind of machine. */
export function machineInfo(command: string): MachineInfo {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    // /proc/cpuinfo names the model even where os.cpus() reports a generic one.
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: keep what node reports.
  }
  return {
    date: new Date().toISOString(),
    command,
    cpu,
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${platform()} ${release()}`,
  };
}
