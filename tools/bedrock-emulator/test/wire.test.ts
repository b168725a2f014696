import { BedrockClient, GetModelInvocationJobCommand, ListModelInvocationJobsCommand } from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { clientFor, failureOf } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");

function headersOf(error: unknown): Record<string, string> {
  const response = (error as { $response?: { headers?: Record<string, string> } }).$response;
  return response?.headers ?? {};
}

describe("wire protocol", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    client = clientFor(emulator);
    emulator.addJob({ status: "Completed", submitTime: new Date("2026-11-23T12:00:00.000Z") });
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("listens on 127.0.0.1 at a free port", () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.region).toBe("us-east-1");
    expect(emulator.accountId).toBe("123456789012");
  });

  it("names errors in x-amzn-errortype with the service namespace and sends the text as body.message", async () => {
    const error = await failureOf(client.send(new ListModelInvocationJobsCommand({ maxResults: 5000 })));

    expect(headersOf(error)["x-amzn-errortype"]).toBe(
      "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
    );
    expect(error.message).toBe(
      "1 validation error detected: Value '5000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    expect(error.$metadata.requestId).toEqual(expect.any(String));
  });

  it("answers an unknown route with 404 UnknownOperationException", async () => {
    // Prepare: a real SDK request, re-routed to a path the service does not have.
    const rerouted = clientFor(emulator);
    rerouted.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path: string };
        request.path = "/model-invocation-jobs/unknown";
        return next(args);
      },
      { step: "build", name: "rerouteToUnknownPath" },
    );

    const error = await failureOf(rerouted.send(new ListModelInvocationJobsCommand({})));
    rerouted.destroy();

    expect(error.name).toBe("UnknownOperationException");
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it("accepts SigV4-signed requests with any credentials", async () => {
    const stranger = new BedrockClient({
      endpoint: emulator.endpoint,
      region: "eu-west-3",
      credentials: { accessKeyId: "AKIDSOMEONEELSE", secretAccessKey: "whatever", sessionToken: "session" },
    });

    const response = await stranger.send(new ListModelInvocationJobsCommand({}));
    stranger.destroy();

    expect(response.$metadata.httpStatusCode).toBe(200);
  });

  it("serializes timestamps as ISO 8601 that the SDK turns into exact Dates", async () => {
    const [summary] = (await client.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries ?? [];
    const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: summary?.jobArn ?? "" }));

    expect(summary?.submitTime).toEqual(new Date("2026-11-23T12:00:00.000Z"));
    expect(job.submitTime).toEqual(new Date("2026-11-23T12:00:00.000Z"));
    expect(job.jobExpirationTime).toEqual(new Date("2026-11-30T12:00:00.000Z"));
  });
});
