import {
  type BedrockClient,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  type ListModelInvocationJobsCommandInput,
  type ListModelInvocationJobsCommandOutput,
  type ModelInvocationJobStatus,
  type ModelInvocationJobSummary,
} from "@aws-sdk/client-bedrock";
import type { BatchJob } from "../domain/job";
import type { JobStatus } from "../domain/status";
import { BedrockAccessDeniedError, ListingError, NotifierError } from "../errors";
import type { Diagnostics, JobSource } from "../poll/ports";
import { parseJobSummary } from "./job-summary";

/** The largest page Bedrock allows: fewest calls per listing. */
const PAGE_SIZE = 1000;

const errorName = (error: unknown): string | undefined =>
  error instanceof Error ? error.name : (error as { name?: string } | undefined)?.name;

/** Jobs from the Bedrock control plane. Counts its calls so each poll can report what it cost. */
export class BedrockJobSource implements JobSource {
  #calls = 0;

  constructor(
    private readonly client: BedrockClient,
    private readonly diagnostics: Diagnostics,
  ) {}

  /** API calls made so far (each page is one call). */
  get calls(): number {
    return this.#calls;
  }

  listSubmittedAfter(after: Date): Promise<BatchJob[]> {
    return this.#listAll({ submitTimeAfter: after, sortBy: "CreationTime", sortOrder: "Ascending" });
  }

  listByStatus(status: JobStatus): Promise<BatchJob[]> {
    return this.#listAll({ statusEquals: status as ModelInvocationJobStatus });
  }

  pagesSubmittedBetween(after: Date, before: Date): AsyncIterable<BatchJob[]> {
    return this.#restartable({
      submitTimeAfter: after,
      submitTimeBefore: before,
      sortBy: "CreationTime",
      sortOrder: "Ascending",
    });
  }

  async getJob(jobArn: string): Promise<BatchJob | undefined> {
    this.#calls++;
    try {
      const job = await this.client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      return this.#parse([job])[0];
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") return undefined;
      throw this.#translate(error, "GetModelInvocationJob");
    }
  }

  async #listAll(filter: ListModelInvocationJobsCommandInput): Promise<BatchJob[]> {
    let jobs: BatchJob[] = [];
    // A restarted listing starts over: keep only its pages.
    for await (const page of this.#restartable(filter, () => (jobs = []))) jobs.push(...page);
    return jobs;
  }

  /**
   * The pages of one listing. A page token Bedrock rejects (corrupt or expired) restarts the listing once from the
   * beginning; pages are merged by ARN downstream, so a restart cannot double-count.
   */
  async *#restartable(
    filter: ListModelInvocationJobsCommandInput,
    onRestart: () => void = () => undefined,
  ): AsyncGenerator<BatchJob[]> {
    try {
      yield* this.#pages(filter);
    } catch (error) {
      if (!(error instanceof PageTokenRejected)) throw error;
      this.diagnostics.warn("list-restarted", { reason: "page token rejected" });
      onRestart();
      try {
        yield* this.#pages(filter);
      } catch (again) {
        if (again instanceof PageTokenRejected) {
          throw new ListingError("Bedrock rejected its own page token twice in a row", { cause: again.cause });
        }
        throw again;
      }
    }
  }

  async *#pages(filter: ListModelInvocationJobsCommandInput): AsyncGenerator<BatchJob[]> {
    let nextToken: string | undefined;
    do {
      this.#calls++;
      let page: ListModelInvocationJobsCommandOutput;
      try {
        page = await this.client.send(
          new ListModelInvocationJobsCommand({ ...filter, maxResults: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) }),
        );
      } catch (error) {
        if (nextToken && errorName(error) === "ValidationException") throw new PageTokenRejected(error);
        throw this.#translate(error, "ListModelInvocationJobs");
      }
      yield this.#parse(page.invocationJobSummaries ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
  }

  #parse(summaries: ReadonlyArray<Partial<ModelInvocationJobSummary>>): BatchJob[] {
    const jobs: BatchJob[] = [];
    for (const summary of summaries) {
      const parsed = parseJobSummary(summary);
      if (parsed.ok) jobs.push(parsed.job);
      else this.diagnostics.warn("job-summary-invalid", { jobArn: parsed.jobArn, reason: parsed.reason });
    }
    return jobs;
  }

  #translate(error: unknown, operation: string): unknown {
    return errorName(error) === "AccessDeniedException"
      ? new BedrockAccessDeniedError(operation, { cause: error })
      : error;
  }
}

class PageTokenRejected extends NotifierError {
  override name = "PageTokenRejected";
  constructor(cause: unknown) {
    super("Bedrock rejected a page token", { cause });
  }
}
