export { type Clock, ManualClock, SystemClock } from "./clock";
export type { EmulatorCredentials } from "./credentials";
export { BedrockEmulator, type EmulatorOptions, type EmulatorStats, type ScopeSelector } from "./emulator";
export { BedrockError, type ErrorName } from "./errors";
export type { FaultOptions, FaultRates } from "./faults";
export type { JobStatePatch } from "./job-service";
export { DEFAULT_LIFECYCLE, type LifecycleDefaults } from "./lifecycle";
export { mixedSeedJobs } from "./mixed-jobs";
export {
  JOB_STATUSES,
  type JobPlan,
  type JobStatus,
  type JobView,
  type ModelInvocationType,
  OPERATIONS,
  type Operation,
  type SeedJob,
  TERMINAL_STATUSES,
} from "./model";
export { mulberry32, type Random } from "./random";
export type { ScopeFaultOptions } from "./scope-faults";
export { type Scope, scopeKey } from "./scopes";
export type { ScopeStats, StsStats } from "./stats";
export type { StsOptions } from "./sts";
export type { CreateJobInput } from "./validation";
export { DEFAULT_MODEL_ID } from "./wire-format";
