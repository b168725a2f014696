import type { Server } from "node:http";
import { type Clock, SystemClock } from "./clock";
import { CredentialRegistry, type EmulatorCredentials } from "./credentials";
import { FaultInjector, type FaultOptions } from "./faults";
import { JobService, type JobServiceOptions, type JobStatePatch } from "./job-service";
import { DEFAULT_LIFECYCLE, type LifecycleDefaults } from "./lifecycle";
import type { JobPlan, JobRecord, JobView, SeedJob } from "./model";
import { type ScopeFaultOptions, ScopeFaultTable } from "./scope-faults";
import { checkScope, type Scope, ScopeRegistry, scopeKey, scopeOfJobArn } from "./scopes";
import { createEmulatorServer, type HttpServerDependencies, listen } from "./server";
import { type EmulatorStats, StatsRecorder } from "./stats";
import { type StsOptions, StsService } from "./sts";
import { type CreateJobInput, MAX_TIMEOUT_HOURS } from "./validation";
import { toJobView } from "./wire-format";

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only; defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to real time (SystemClock). Pass a ManualClock to drive lifecycles from a test. */
  clock?: Clock;
  /** The default scope's region: that of requests whose signature names none. */
  region?: string;
  /** The default scope's account: that of every access key the emulator did not hand out. */
  accountId?: string;
  /**
   * Regions where batch inference is offered. A request signed for any other region gets its connection
   * dropped, as a client gets a network error where there is no endpoint. Default: every region answers.
   * Must include `region`.
   */
  regions?: string[];
  /** Roles and accounts the emulated STS refuses to AssumeRole into (AccessDenied). Default: none. */
  sts?: StsOptions;
  /** Global faults: apply to every scope without its own (see setScopeFaults). */
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

/** A job's scope when a programmatic call names none, or names only part of one. */
export type ScopeSelector = Partial<Scope>;

/**
 * A local Bedrock control plane for batch inference jobs: a real rest-json HTTP server on 127.0.0.1 that the
 * AWS SDK and CLI talk to unchanged, plus a programmatic API to seed and steer jobs without HTTP. Jobs live
 * per scope, one (account, region) pair: requests land in the scope their SigV4 credential scope and access
 * key name, and an emulated STS (AssumeRole, same port) hands out keys that belong to other accounts.
 */
export class BedrockEmulator {
  readonly endpoint: string;
  /** The emulated STS: the same server, so AWS_ENDPOINT_URL_STS can point here too. */
  readonly stsEndpoint: string;
  /** The default scope: where unsigned requests, unknown keys and scope-less programmatic calls go. */
  readonly region: string;
  readonly accountId: string;
  /** Regions that answer; undefined when every region does. */
  readonly regions: readonly string[] | undefined;
  readonly clock: Clock;

  private constructor(
    private readonly server: Server,
    private readonly services: ScopeRegistry<JobService>,
    private readonly faults: FaultInjector,
    private readonly scopeFaults: ScopeFaultTable,
    private readonly credentials: CredentialRegistry,
    private readonly sts: StsService,
    private readonly recorder: StatsRecorder,
    defaultScope: Scope,
    regions: readonly string[] | undefined,
    port: number,
    host: string,
    clock: Clock,
  ) {
    this.endpoint = `http://${host}:${port}`;
    this.stsEndpoint = this.endpoint;
    this.region = defaultScope.region;
    this.accountId = defaultScope.accountId;
    this.regions = regions;
    this.clock = clock;
  }

  static async start(options: EmulatorOptions = {}): Promise<BedrockEmulator> {
    const seed = options.seed ?? DEFAULT_SEED;
    const clock = options.clock ?? new SystemClock();
    const defaultScope = checkScope({
      accountId: options.accountId ?? "123456789012",
      region: options.region ?? "us-east-1",
    });
    const regions = options.regions ? Object.freeze([...new Set(options.regions)]) : undefined;
    for (const region of regions ?? []) checkScope({ accountId: defaultScope.accountId, region });
    if (regions && !regions.includes(defaultScope.region))
      throw new RangeError(`regions must include the default region ${defaultScope.region}`);
    const defaultMaxResults = options.defaultMaxResults ?? DEFAULT_PAGE_SIZE;
    const defaultKey = scopeKey(defaultScope);
    const serviceOptions: Omit<JobServiceOptions, "identity" | "idStream"> = {
      clock,
      seed,
      lifecycle: { ...DEFAULT_LIFECYCLE, ...options.lifecycle },
      defaultMaxResults,
      defaultTimeoutHours: options.defaultTimeoutHours ?? MAX_TIMEOUT_HOURS,
      createPlan: options.createPlan ?? {},
      maxOpenJobs: options.maxOpenJobs,
    };
    const services = new ScopeRegistry<JobService>(
      (scope) =>
        new JobService({
          ...serviceOptions,
          identity: scope,
          // The default scope keeps the id stream it always had, so existing seeds give the same ids.
          idStream: scopeKey(scope) === defaultKey ? "job-ids" : `job-ids:${scopeKey(scope)}`,
        }),
    );
    const faults = new FaultInjector(seed, options.faults);
    const scopeFaults = new ScopeFaultTable(seed);
    const recorder = new StatsRecorder();
    const credentials = new CredentialRegistry(seed, defaultScope.accountId);
    const sts = new StsService(credentials, recorder, options.sts);
    const server = createEmulatorServer({
      services,
      defaultRegion: defaultScope.region,
      offeredRegions: regions ? new Set(regions) : undefined,
      credentials,
      sts,
      clock,
      faults,
      scopeFaults,
      stats: recorder,
      defaultMaxResults,
      onRequest: options.onRequest,
    });
    const host = options.host ?? "127.0.0.1";
    const address = await listen(server, host, options.port ?? 0);
    return new BedrockEmulator(
      server,
      services,
      faults,
      scopeFaults,
      credentials,
      sts,
      recorder,
      defaultScope,
      regions,
      address.port,
      address.address,
      clock,
    );
  }

  /** Adds one job without HTTP (to the default scope, or the one given) and returns it as Get would. */
  addJob(job: SeedJob, scope?: ScopeSelector): JobView {
    const service = this.services.getOrCreate(this.scopeOf(scope));
    return toJobView(service.addJob(job), service.identity);
  }

  /** Bulk seeding: one sort at the end instead of one insertion per job. Returns how many were added. */
  addJobs(jobs: Iterable<SeedJob>, scope?: ScopeSelector): number {
    return this.services.getOrCreate(this.scopeOf(scope)).addJobs(jobs);
  }

  /**
   * Puts a job in a status directly; it then stays there (unless patch.plan is given) until set again or
   * stopped. A job ARN names its scope; a bare id is looked up in the default scope.
   */
  setJobState(jobIdOrArn: string, patch: JobStatePatch): JobView {
    const found = this.locate(jobIdOrArn);
    if (!found) throw new RangeError(`No job ${jobIdOrArn} in the emulator`);
    return toJobView(found.service.setJobState(jobIdOrArn, patch), found.service.identity);
  }

  /** A job by ARN (in the scope it names) or bare id (in the default scope). */
  getJob(jobIdOrArn: string): JobView | undefined {
    const found = this.locate(jobIdOrArn);
    return found ? toJobView(found.job, found.service.identity) : undefined;
  }

  /** Every job of a scope (default: the default scope), newest first. O(N): for assertions, not hot paths. */
  listJobs(scope?: ScopeSelector): JobView[] {
    const service = this.services.get(this.scopeOf(scope));
    if (!service) return [];
    service.sync();
    const all = service.store.all();
    const views: JobView[] = [];
    for (let index = all.length - 1; index >= 0; index--) {
      const job = all[index];
      if (job) views.push(toJobView(job, service.identity));
    }
    return views;
  }

  /** The scopes that hold jobs state (created by addJob, addJobs or a Create call), in creation order. */
  scopes(): Scope[] {
    return this.services.scopes();
  }

  /**
   * Long-term keys that sign into `accountId` (the same keys on every call). Handy in tests that need a
   * member account without going through AssumeRole.
   */
  credentialsFor(accountId: string): EmulatorCredentials {
    checkScope({ accountId, region: this.region });
    return this.credentials.longTermFor(accountId);
  }

  /** Replaces the global fault settings (and restarts their sequence from the seed). Scope overrides stay. */
  setFaults(faults: FaultOptions): void {
    this.faults.configure(faults);
  }

  /** Replaces the faults of one scope; the global faults no longer apply there until clearScopeFaults. */
  setScopeFaults(scope: ScopeSelector, faults: ScopeFaultOptions): void {
    this.scopeFaults.set(this.scopeOf(scope), faults);
  }

  /** Gives a scope back to the global faults; without an argument, every scope. */
  clearScopeFaults(scope?: ScopeSelector): void {
    if (scope === undefined) this.scopeFaults.clearAll();
    else this.scopeFaults.clear(this.scopeOf(scope));
  }

  /** Makes AssumeRole answer AccessDenied for a role ARN, or for every role of a 12-digit account id. */
  denyAssumeRole(roleArnOrAccountId: string): void {
    this.sts.deny(roleArnOrAccountId);
  }

  /** Undoes denyAssumeRole (or the sts start option) for exactly that role ARN or account id. */
  allowAssumeRole(roleArnOrAccountId: string): void {
    this.sts.allow(roleArnOrAccountId);
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

  /** Fills a partial scope from the default one and checks it can exist here. */
  private scopeOf(selector: ScopeSelector | undefined): Scope {
    const scope = checkScope({
      accountId: selector?.accountId ?? this.accountId,
      region: selector?.region ?? this.region,
    });
    if (this.regions && !this.regions.includes(scope.region))
      throw new RangeError(`Region ${scope.region} is not one of the offered regions (${this.regions.join(", ")})`);
    return scope;
  }

  private locate(jobIdOrArn: string): { service: JobService; job: JobRecord } | undefined {
    const arnScope = scopeOfJobArn(jobIdOrArn);
    if (!arnScope && jobIdOrArn.includes(":")) return undefined;
    const service = this.services.get(arnScope ?? { accountId: this.accountId, region: this.region });
    const job = service?.resolve(jobIdOrArn);
    return service && job ? { service, job } : undefined;
  }
}
