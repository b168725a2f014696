import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SecretUnavailableError, SsmSecret } from "../../src/adapters/ssm-secret";

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: "us-east-1" });
const NAME = "/bedrock-job-notifier/slack-webhook-url";

afterEach(() => ssm.reset());

function sdkError(name: string): Error {
  return Object.assign(new Error(`${name} from SSM`), { name });
}

describe("SsmSecret", () => {
  it("reads the parameter with decryption", async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Type: "SecureString", Value: " https://x/y \n" } });

    // Act
    const value = await new SsmSecret(client).get(NAME);

    // Assess
    expect(value).toBe("https://x/y");
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: NAME, WithDecryption: true },
    ]);
  });

  it("reads a Secrets Manager secret through the reference path with the same call", async () => {
    // Prepare
    ssm
      .on(GetParameterCommand, { Name: "/aws/reference/secretsmanager/teams-url" })
      .resolves({ Parameter: { Value: "u" } });

    // Act
    const value = await new SsmSecret(client).get("/aws/reference/secretsmanager/teams-url");

    // Assess
    expect(value).toBe("u");
  });

  it("reuses the value until the cache expires, then reads it again", async () => {
    // Prepare
    let now = 0;
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: "first" } })
      .resolves({ Parameter: { Value: "second" } });
    const secrets = new SsmSecret(client, { ttlMs: 1000, now: () => now });

    // Act
    const [a, b] = await Promise.all([secrets.get(NAME), secrets.get(NAME)]);
    now = 999;
    const c = await secrets.get(NAME);
    now = 1000;
    const d = await secrets.get(NAME);

    // Assess
    expect([a, b, c, d]).toEqual(["first", "first", "first", "second"]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it("does not cache a failure, so the retry asks again", async () => {
    // Prepare
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(sdkError("ThrottlingException"))
      .resolves({ Parameter: { Value: "ok" } });
    const secrets = new SsmSecret(client);

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
    const reading = new SsmSecret(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow(
      `Cannot read secret parameter "${NAME}": it does not exist (create it with \`aws ssm put-parameter --type SecureString\`)`,
    );
  });

  it("explains a denied read", async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(sdkError("AccessDeniedException"));

    // Act
    const reading = new SsmSecret(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow("access denied");
  });

  it("refuses an empty value rather than posting to nowhere", async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "  " } });

    // Act
    const reading = new SsmSecret(client).get(NAME);

    // Assess
    await expect(reading).rejects.toThrow("it is empty");
  });
});
