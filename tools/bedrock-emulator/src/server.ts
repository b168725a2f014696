import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
import type { StatsRecorder } from "./stats";

export interface HttpServerDependencies {
  service: JobService;
  faults: FaultInjector;
  stats: StatsRecorder;
  defaultMaxResults: number;
  /** Called once per request after the response is sent; for the CLI's request log. */
  onRequest?: (line: { method: string; path: string; operation: string; status: number; ms: number }) => void;
}

interface Route {
  operation: Operation;
  run: (request: ParsedRequest) => unknown;
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
  const { service, defaultMaxResults } = deps;
  if (pathname === "/model-invocation-jobs" && method === "GET")
    return {
      operation: "ListModelInvocationJobs",
      run: (request) => listModelInvocationJobs(service, request.url.searchParams, defaultMaxResults),
    };
  if (pathname === "/model-invocation-job" && method === "POST")
    return { operation: "CreateModelInvocationJob", run: (request) => createModelInvocationJob(service, request.body) };
  const jobPath = /^\/model-invocation-job\/([^/]*)(\/stop)?$/.exec(pathname);
  if (!jobPath) return undefined;
  if (jobPath[2] === undefined && method === "GET")
    return {
      operation: "GetModelInvocationJob",
      run: (request) => getModelInvocationJob(service, request.jobIdentifier),
    };
  if (jobPath[2] !== undefined && method === "POST")
    return {
      operation: "StopModelInvocationJob",
      run: (request) => stopModelInvocationJob(service, request.jobIdentifier),
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

/**
 * The rest-json front door: routes the four operations, applies injected faults, and writes responses the
 * way the service does (JSON bodies; errors named in x-amzn-errortype with a {"message"} body). It never
 * checks SigV4: any signed or unsigned request is accepted.
 */
export function createEmulatorServer(deps: HttpServerDependencies): Server {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const method = request.method ?? "GET";
    const url = parseRequestUrl(request.url);
    const route = matchRoute(method, url.pathname, deps);
    const operation = route?.operation ?? UNKNOWN_OPERATION;
    let status = 200;
    let payload: unknown;
    let errorType: string | undefined;
    try {
      const body = await readBody(request);
      if (!route) {
        throw new BedrockError("UnknownOperationException", `No operation matches ${method} ${url.pathname}.`);
      }
      const decision = deps.faults.decide(route.operation);
      await delay(decision.latencyMs);
      if (decision.kind === "throttle") {
        deps.stats.recordThrottle();
        throw new BedrockError(
          "ThrottlingException",
          "Too many requests, please wait before trying your request again.",
        );
      }
      if (decision.kind === "serverError") {
        deps.stats.recordServerError();
        throw new BedrockError("InternalServerException", "An internal server error occurred. Retry your request.");
      }
      payload = route.run({ url, body, jobIdentifier: decodeLabel(url.pathname) });
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
    deps.stats.recordResponse(operation, Buffer.byteLength(text));
    deps.onRequest?.({ method, path: url.pathname, operation, status, ms: performance.now() - startedAt });
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
