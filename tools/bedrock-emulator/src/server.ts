import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "./clock";
import { type Caller, type CredentialRegistry, sessionProblem } from "./credentials";
import { BedrockError } from "./errors";
import type { FaultInjector } from "./faults";
import type { JobService } from "./job-service";
import type { Operation } from "./model";
import {
  createModelInvocationJob,
  getModelInvocationJob,
  listModelInvocationJobs,
  stopModelInvocationJob,
} from "./operations";
import type { ScopeFaultTable } from "./scope-faults";
import { type Scope, type ScopeRegistry, scopeKey } from "./scopes";
import { credentialScopeOf, securityTokenOf } from "./sigv4-scope";
import type { StatsRecorder } from "./stats";
import type { QueryResponse, StsService } from "./sts";

export interface HttpServerDependencies {
  /** Jobs state per (account, region), created on first write. */
  services: ScopeRegistry<JobService>;
  /** The region of requests whose signature names none. */
  defaultRegion: string;
  /** Regions that answer; undefined means every region does. */
  offeredRegions: ReadonlySet<string> | undefined;
  credentials: CredentialRegistry;
  sts: StsService;
  clock: Clock;
  faults: FaultInjector;
  scopeFaults: ScopeFaultTable;
  stats: StatsRecorder;
  defaultMaxResults: number;
  /**
   * Called once per request after the response is sent; for the CLI's request log. `scope` is
   * "<account>:<region>" for Bedrock calls; status 0 means the connection was dropped (unoffered region).
   */
  onRequest?: (line: {
    method: string;
    path: string;
    operation: string;
    status: number;
    ms: number;
    scope?: string;
  }) => void;
}

interface Route {
  operation: Operation;
  run: (request: ParsedRequest, scope: Scope) => unknown;
}

interface ParsedRequest {
  url: URL;
  body: string;
  /** The {jobIdentifier} path label, URI-decoded. */
  jobIdentifier: string;
}

// A control-plane request body is a few KB; refusing huge ones keeps a stray client from exhausting memory.
const MAX_BODY_BYTES = 1024 * 1024;
const UNKNOWN_OPERATION = "UnknownOperation";

function matchRoute(method: string, pathname: string, deps: HttpServerDependencies): Route | undefined {
  const { services, defaultMaxResults } = deps;
  // Reads use a throwaway state for a scope without one: an empty scope answers like one, and stays free.
  if (pathname === "/model-invocation-jobs" && method === "GET")
    return {
      operation: "ListModelInvocationJobs",
      run: (request, scope) =>
        listModelInvocationJobs(services.forRead(scope), request.url.searchParams, defaultMaxResults),
    };
  if (pathname === "/model-invocation-job" && method === "POST")
    return {
      operation: "CreateModelInvocationJob",
      run: (request, scope) => createModelInvocationJob(() => services.getOrCreate(scope), request.body),
    };
  const jobPath = /^\/model-invocation-job\/([^/]*)(\/stop)?$/.exec(pathname);
  if (!jobPath) return undefined;
  if (jobPath[2] === undefined && method === "GET")
    return {
      operation: "GetModelInvocationJob",
      run: (request, scope) => getModelInvocationJob(services.forRead(scope), request.jobIdentifier),
    };
  if (jobPath[2] !== undefined && method === "POST")
    return {
      operation: "StopModelInvocationJob",
      run: (request, scope) => stopModelInvocationJob(services.forRead(scope), request.jobIdentifier),
    };
  return undefined;
}

function decodeLabel(pathname: string): string {
  const encoded = /^\/model-invocation-job\/([^/]*)/.exec(pathname)?.[1];
  if (encoded === undefined) return "";
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new BedrockError("ValidationException", "The jobIdentifier in the request path is not validly URI-encoded.");
  }
}

function parseRequestUrl(raw: string | undefined): URL {
  // Always resolve against a fixed base and keep only path and query: a request target like "//host/x"
  // must not be read as another host.
  const target = raw ?? "/";
  const queryStart = target.indexOf("?");
  const path = `/${(queryStart < 0 ? target : target.slice(0, queryStart)).replace(/^\/+/, "")}`;
  const query = queryStart < 0 ? "" : target.slice(queryStart);
  const url = new URL("http://emulator.local/");
  url.pathname = path;
  url.search = query;
  return url;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(new BedrockError("ValidationException", "The request body is too large."));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", reject);
  });
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Authentication, as AWS's front end does it before the service sees the call. */
function checkSession(caller: Caller, presentedToken: string | undefined, nowMs: number): void {
  const problem = sessionProblem(caller, presentedToken, nowMs);
  if (problem === "expired")
    throw new BedrockError("ExpiredTokenException", "The security token included in the request is expired");
  if (problem === "invalid")
    throw new BedrockError("UnrecognizedClientException", "The security token included in the request is invalid.");
}

function accessDenied(caller: Caller, operation: Operation, scope: Scope): BedrockError {
  return new BedrockError(
    "AccessDeniedException",
    `User: ${caller.principalArn} is not authorized to perform: bedrock:${operation} on resource: ` +
      `arn:aws:bedrock:${scope.region}:${scope.accountId}:model-invocation-job/* because no identity-based policy ` +
      `allows the bedrock:${operation} action`,
  );
}

/**
 * The front door: STS AssumeRole (awsQuery, POST /) and the four Bedrock operations (rest-json). A Bedrock
 * call lands in the scope its SigV4 credential scope names: the region as signed (the default region when
 * unsigned), the account of the access key (the default account for keys the emulator did not hand out).
 * Signatures are never verified. Per scope it applies the scope's faults (or the global ones) and writes
 * responses the way the service does (JSON bodies; errors named in x-amzn-errortype with a {"message"} body).
 */
export function createEmulatorServer(deps: HttpServerDependencies): Server {
  const handleQuery = async (
    request: IncomingMessage,
    response: ServerResponse,
    caller: Caller,
    presentedToken: string | undefined,
    startedAt: number,
  ): Promise<void> => {
    let answer: QueryResponse;
    try {
      const body = await readBody(request);
      answer = deps.sts.handle(body, caller, presentedToken, deps.clock.now().getTime());
    } catch (error) {
      if (!(error instanceof BedrockError)) throw error;
      answer = deps.sts.malformed(error.message);
    }
    response.writeHead(answer.status, {
      "content-type": "text/xml",
      "content-length": Buffer.byteLength(answer.body),
      "x-amzn-requestid": randomUUID(),
    });
    response.end(answer.body);
    deps.onRequest?.({
      method: "POST",
      path: "/",
      operation: "AssumeRole",
      status: answer.status,
      ms: performance.now() - startedAt,
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const method = request.method ?? "GET";
    const url = parseRequestUrl(request.url);
    const signed = credentialScopeOf(request.headers, url.searchParams);
    const caller = deps.credentials.callerOf(signed?.accessKeyId);
    const presentedToken = securityTokenOf(request.headers, url.searchParams);
    if (method === "POST" && url.pathname === "/")
      return handleQuery(request, response, caller, presentedToken, startedAt);

    const scope: Scope = { accountId: caller.accountId, region: signed?.region ?? deps.defaultRegion };
    const key = scopeKey(scope);
    if (deps.offeredRegions && !deps.offeredRegions.has(scope.region)) {
      // Where Bedrock is not offered there is no endpoint to answer: the client sees a network error.
      deps.stats.recordUnofferedRegion(scope.region);
      request.socket.destroy();
      deps.onRequest?.({ method, path: url.pathname, operation: "UnofferedRegion", status: 0, ms: 0, scope: key });
      return;
    }

    const route = matchRoute(method, url.pathname, deps);
    const operation = route?.operation ?? UNKNOWN_OPERATION;
    let status = 200;
    let payload: unknown;
    let errorType: string | undefined;
    try {
      const body = await readBody(request);
      checkSession(caller, presentedToken, deps.clock.now().getTime());
      if (!route) {
        throw new BedrockError("UnknownOperationException", `No operation matches ${method} ${url.pathname}.`);
      }
      const override = deps.scopeFaults.get(key);
      if (override?.accessDenied) {
        deps.stats.recordAccessDenied(key);
        throw accessDenied(caller, route.operation, scope);
      }
      const decision = (override?.injector ?? deps.faults).decide(route.operation);
      await delay(decision.latencyMs);
      if (decision.kind === "throttle") {
        deps.stats.recordThrottle(key);
        throw new BedrockError(
          "ThrottlingException",
          "Too many requests, please wait before trying your request again.",
        );
      }
      if (decision.kind === "serverError") {
        deps.stats.recordServerError(key);
        throw new BedrockError("InternalServerException", "An internal server error occurred. Retry your request.");
      }
      payload = route.run({ url, body, jobIdentifier: decodeLabel(url.pathname) }, scope);
    } catch (error) {
      const failure =
        error instanceof BedrockError
          ? error
          : new BedrockError("InternalServerException", "An internal server error occurred. Retry your request.");
      if (!(error instanceof BedrockError)) console.error("bedrock emulator: unexpected error", error);
      status = failure.httpStatus;
      errorType = failure.errorTypeHeader;
      payload = { message: failure.message };
    }

    const text = JSON.stringify(payload);
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
    };
    if (errorType !== undefined) headers["x-amzn-errortype"] = errorType;
    response.writeHead(status, headers);
    response.end(text);
    deps.stats.recordResponse(operation, Buffer.byteLength(text), key);
    deps.onRequest?.({
      method,
      path: url.pathname,
      operation,
      status,
      ms: performance.now() - startedAt,
      scope: key,
    });
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error("bedrock emulator: failed to answer a request", error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
}

/** Listens on 127.0.0.0/8 only: the emulator accepts any credentials, so it must not be reachable from outside. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  const address = host === "localhost" ? "127.0.0.1" : host;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address))
    return Promise.reject(new Error(`The Bedrock emulator binds to 127.0.0.1 only; refusing host ${host}`));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
