import { isTerminal } from "../../src/domain/status";
import type { JobStatus } from "../bedrock-emulator/src";

/** The statuses a job can move to next, in Bedrock's real lifecycle. Repeats weight the common paths. */
const NEXT: Readonly<Partial<Record<JobStatus, readonly JobStatus[]>>> = {
  Submitted: ["Validating", "Validating", "Validating", "Stopping"],
  Validating: ["Scheduled", "Scheduled", "Scheduled", "Failed", "Stopping"],
  Scheduled: ["InProgress", "InProgress", "InProgress", "Expired", "Stopping"],
  InProgress: ["Completed", "Completed", "PartiallyCompleted", "Failed", "Stopping"],
  Stopping: ["Stopped"],
};

/** The longest path: Submitted → Validating → Scheduled → InProgress → Stopping → Stopped. */
export const MAX_STEPS = 5;

/**
 * A random walk through the lifecycle, one draw per step, from Submitted to a terminal status. The draws come
 * from fast-check, so a scenario's job histories are reproducible from its seed.
 */
export function walk(draws: readonly number[]): JobStatus[] {
  const path: JobStatus[] = ["Submitted"];
  for (const draw of draws) {
    const current = path[path.length - 1] as JobStatus;
    const choices = NEXT[current];
    if (!choices || isTerminal(current)) break;
    path.push(choices[draw % choices.length] as JobStatus);
  }
  return path;
}

/** The failure message a job's Failed status carries: unique per job, so a delivery can be checked against it. */
export function failureMessageOf(jobName: string): string {
  return `Validation failed for ${jobName}: record at line 7 is not valid JSON.`;
}
