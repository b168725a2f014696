/**
 * What the handler writes to stdout and stderr while `act` runs (Powertools logs and EMF metrics go to stdout),
 * swallowed so the test output stays readable.
 */
export async function captureOutput<T>(act: () => Promise<T>): Promise<{ result?: T; error?: unknown; text: string }> {
  const written: string[] = [];
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const capture = (chunk: unknown): boolean => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return { result: await act(), text: written.join("") };
  } catch (error) {
    return { error, text: written.join("") };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

/** The JSON log lines (Powertools logger and EMF) in captured output. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text.split("\n").flatMap((line) => {
    if (!line.trim().startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The warnings the handler logged for input it skipped on purpose (see loggingDiagnostics). */
export const skips = (text: string): Array<Record<string, unknown>> =>
  jsonLines(text).filter((line) => typeof line.kind === "string" && line.level === "WARN");
