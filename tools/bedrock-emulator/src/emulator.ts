import type { Server } from "node:http";
import { type Clock, SystemClock } from "./clock";
import { FaultInjector, type FaultOptions } from "./faults";
import { JobService, type JobServiceOptions, type JobStatePatch } from "./job-service";
import { DEFAULT_LIFECYCLE, type LifecycleDefaults } from "./lifecycle";
import type { JobPlan, JobView, SeedJob } from "./model";
import { createEmulatorServer, type HttpServerDependencies, listen } from "./server";
import { type EmulatorStats, StatsRecorder } from "./stats";
import { type CreateJobInput, MAX_TIMEOUT_HOURS } from "./validation";
import { toJobView } from "./wire-format";

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only; defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to real time (SystemClock). Pass a ManualClock to drive lifecycles from a test. */
  clock?: Clock;
  region?: string;
  accountId?: string;
  faults?: FaultOptions;
  /** Seeds job ids, seeded data and (unless faults.seed is set) the fault sequence. */
  seed?: number;
  // Extensions beyond the agreed surface.
  /** Lifecycle durations used when a plan leaves them out, plus the progress tick and the stop delay. */
  lifecycle?: Partial<LifecycleDefaults>;
  /** The plan jobs created through CreateModelInvocationJob follow. */
  createPlan?: JobPlan | ((input: CreateJobInput) => JobPlan);
  /** Page size when a List request has no maxResults (the service documents none). */
  defaultMaxResults?: number;
  /** timeoutDurationInHours of a job created without one. */
  defaultTimeoutHours?: number;
  /** Open jobs allowed before Create answers ServiceQuotaExceededException. */
  maxOpenJobs?: number;
  onRequest?: HttpServerDependencies["onRequest"];
}

export type { EmulatorStats };

const DEFAULT_SEED = 20240307;
const DEFAULT_PAGE_SIZE = 100;

/**
 * A local Bedrock control plane for batch inference jobs: a real rest-json HTTP server on 127.0.0.1 that the
 * AWS SDK and CLI talk to unchanged, plus a programmatic API to seed and steer jobs without HTTP.
 */
export class BedrockEmulator {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;

  private constructor(
    private readonly server: Server,
    private readonly service: JobService,
    private readonly faults: FaultInjector,
    private readonly recorder: StatsRecorder,
    port: number,
    host: string,
    clock: Clock,
  ) {
    this.endpoint = `http://${host}:${port}`;
    this.region = service.identity.region;
    this.accountId = service.identity.accountId;
    this.clock = clock;
  }

  static async start(options: EmulatorOptions = {}): Promise<BedrockEmulator> {
    const seed = options.seed ?? DEFAULT_SEED;
    const clock = options.clock ?? new SystemClock();
    const accountId = options.accountId ?? "123456789012";
    if (!/^[0-9]{12}$/.test(accountId)) throw new RangeError(`accountId must be 12 digits, got ${accountId}`);
    const region = options.region ?? "us-east-1";
    if (!/^[a-z0-9-]{1,20}$/.test(region)) throw new RangeError(`region must match [a-z0-9-]{1,20}, got ${region}`);
    const defaultMaxResults = options.defaultMaxResults ?? DEFAULT_PAGE_SIZE;
    const serviceOptions: JobServiceOptions = {
      clock,
      identity: { region, accountId },
      seed,
      lifecycle: { ...DEFAULT_LIFECYCLE, ...options.lifecycle },
      defaultMaxResults,
      defaultTimeoutHours: options.defaultTimeoutHours ?? MAX_TIMEOUT_HOURS,
      createPlan: options.createPlan ?? {},
      maxOpenJobs: options.maxOpenJobs,
    };
    const service = new JobService(serviceOptions);
    const faults = new FaultInjector(seed, options.faults);
    const recorder = new StatsRecorder();
    const server = createEmulatorServer({
      service,
      faults,
      stats: recorder,
      defaultMaxResults,
      onRequest: options.onRequest,
    });
    const host = options.host ?? "127.0.0.1";
    const address = await listen(server, host, options.port ?? 0);
    return new BedrockEmulator(server, service, faults, recorder, address.port, address.address, clock);
  }

  /** Adds one job without HTTP and returns it as GetModelInvocationJob would. */
  addJob(job: SeedJob): JobView {
    return toJobView(this.service.addJob(job), this.service.identity);
  }

  /** Bulk seeding: one sort at the end instead of one insertion per job. Returns how many were added. */
  addJobs(jobs: Iterable<SeedJob>): number {
    return this.service.addJobs(jobs);
  }

  /** Puts a job in a status directly; it then stays there (unless patch.plan is given) until set again or stopped. */
  setJobState(jobIdOrArn: string, patch: JobStatePatch): JobView {
    return toJobView(this.service.setJobState(jobIdOrArn, patch), this.service.identity);
  }

  getJob(jobIdOrArn: string): JobView | undefined {
    const job = this.service.resolve(jobIdOrArn);
    return job ? toJobView(job, this.service.identity) : undefined;
  }

  /** Every job, newest first (the default List order). O(N): for assertions, not for hot paths. */
  listJobs(): JobView[] {
    this.service.sync();
    const all = this.service.store.all();
    const views: JobView[] = [];
    for (let index = all.length - 1; index >= 0; index--) {
      const job = all[index];
      if (job) views.push(toJobView(job, this.service.identity));
    }
    return views;
  }

  /** Replaces the fault settings (and restarts the fault sequence from its seed). */
  setFaults(faults: FaultOptions): void {
    this.faults.configure(faults);
  }

  stats(): EmulatorStats {
    return this.recorder.snapshot();
  }

  resetStats(): void {
    this.recorder.reset();
  }

  stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets of SDK clients would otherwise hold close() open until they time out.
      this.server.closeAllConnections();
    });
  }
}
