import { BedrockError } from "./errors";
import type { JobService } from "./job-service";
import { parseCreateJobInput, parseListQuery } from "./validation";
import { jobArnOf, toWireSummary } from "./wire-format";

// The four operations as the wire sees them: parsed request in, JSON-ready response body out.
// Errors are thrown as BedrockError and turned into HTTP by the server.

export function listModelInvocationJobs(
  service: JobService,
  params: URLSearchParams,
  defaultMaxResults: number,
): unknown {
  const query = parseListQuery(params, defaultMaxResults);
  const { jobs, nextToken } = service.list(query);
  const summaries = jobs.map((job) => toWireSummary(job, service.identity));
  return nextToken === undefined
    ? { invocationJobSummaries: summaries }
    : { nextToken, invocationJobSummaries: summaries };
}

export function getModelInvocationJob(service: JobService, rawIdentifier: string): unknown {
  return toWireSummary(service.find(rawIdentifier), service.identity);
}

/** serviceOf is called only once the request is valid, so a rejected Create leaves no state behind. */
export function createModelInvocationJob(serviceOf: () => JobService, body: string): unknown {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    // rest-json services reject a body that is not JSON before validating any member.
    throw new BedrockError("SerializationException", "The request body could not be parsed as JSON.");
  }
  const input = parseCreateJobInput(parsed);
  const service = serviceOf();
  const job = service.create(input);
  return { jobArn: jobArnOf(service.identity, job.jobId) };
}

export function stopModelInvocationJob(service: JobService, rawIdentifier: string): unknown {
  service.stop(rawIdentifier);
  return {};
}
