import { BedrockClient, BedrockServiceException } from "@aws-sdk/client-bedrock";
import type { BedrockEmulator } from "../src";

/** A real SDK client aimed at the emulator, with fake static credentials (the emulator accepts any). */
export function clientFor(emulator: BedrockEmulator, maxAttempts = 1): BedrockClient {
  return new BedrockClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAEMULATOREXAMPLE", secretAccessKey: "emulator-secret" },
    maxAttempts,
  });
}

/** Awaits a call that must fail and returns the SDK's service exception for inspection. */
export async function failureOf(call: Promise<unknown>): Promise<BedrockServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof BedrockServiceException) return error;
    throw error;
  }
  throw new Error("Expected the call to fail, but it succeeded");
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A real SDK client signing for one region with the given keys: how a scope is chosen on the wire. */
export function scopedClient(
  emulator: BedrockEmulator,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = {
    accessKeyId: "local",
    secretAccessKey: "local",
  },
  maxAttempts = 1,
): BedrockClient {
  return new BedrockClient({ endpoint: emulator.endpoint, region, credentials, maxAttempts });
}
