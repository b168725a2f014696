import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecureParameters } from "../../src/adapters/secure-parameter";
import { SecretUnavailableError } from "../../src/errors";

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: "us-east-1" });
const NAME = "/bedrock-job-notifier/slack-webhook-url";

afterEach(() => {
  ssm.reset();
  vi.useRealTimers();
});

/** A SecureString parameter as GetParameter returns it. */
const secure = (Value: string) => ({ Parameter: { Name: NAME, Type: "SecureString" as const, Value } });

function sdkError(name: string): Error {
  return Object.assign(new Error(`${name} from SSM`), { name });
}

describe("SecureParameters", () => {
  it("reads the parameter with decryption", async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Type: "SecureString", Value: " https://x/y \n" } });

    // Act
    const value = await new SecureParameters(client).get(NAME);

    // Assess
    expect(value).toBe("https://x/y");
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: NAME, WithDecryption: true },
    ]);
  });

  it("reads a Secrets Manager secret through the reference path with the same call", async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: "/aws/reference/secretsmanager/teams-url" }).resolves(secure("u"));

    // Act
    const value = await new SecureParameters(client).get("/aws/reference/secretsmanager/teams-url");

    // Assess
    expect(value).toBe("u");
  });

  it("reuses the value until the cache expires, then reads it again", async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    ssm.on(GetParameterCommand).resolvesOnce(secure("first")).resolves(secure("second"));
    const secrets = new SecureParameters(client, { maxAgeSeconds: 1 });

    // Act: Powertools keeps a value until strictly after its maximum age.
    const [a, b] = await Promise.all([secrets.get(NAME), secrets.get(NAME)]);
    vi.setSystemTime(1000);
    const c = await secrets.get(NAME);
    vi.setSystemTime(1001);
    const d = await secrets.get(NAME);

    // Assess
    expect([a, b, c, d]).toEqual(["first", "first", "first", "second"]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it("does not cache a failure, so the retry asks again", async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejectsOnce(sdkError("ThrottlingException")).resolves(secure("ok"));
    const secrets = new SecureParameters(client);

    // Act
    const first = secrets.get(NAME);
    await expect(first).rejects.toBeInstanceOf(SecretUnavailableError);
    const second = await secrets.get(NAME);

    // Assess
    expect(second).toBe("ok");
  });

  it("explains a missing parameter and names it", async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(sdkError("ParameterNotFound"));

    // Act
    const reading = new SecureParameters(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow(
      `Cannot read secret parameter "${NAME}": it does not exist (create it with \`aws ssm put-parameter --type SecureString\`)`,
    );
  });

  it("explains a denied read", async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(sdkError("AccessDeniedException"));

    // Act
    const reading = new SecureParameters(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow("access denied");
  });

  it("refuses an empty value rather than posting to nowhere", async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves(secure("  "));

    // Act
    const reading = new SecureParameters(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow("it is empty");
  });

  it("refuses a plain String parameter, naming the fix, and never returns its value", async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Type: "String", Value: "https://x/y" } });

    // Act
    const reading = new SecureParameters(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow(
      `Cannot read secret parameter "${NAME}": it is a String parameter; store webhook URLs as SecureString`,
    );
  });
});
