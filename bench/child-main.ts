import { writeFileSync } from "node:fs";

/**
 * The entry point of a case process: `<argument> <result file>` on the command line, the case's result written as
 * JSON to the file, then exit (SDK keep-alive sockets and Powertools timers must not hold the process open).
 */
export function runAsCaseProcess<T>(usage: string, run: (argument: string) => Promise<T>): void {
  const [argument, resultPath] = process.argv.slice(2);
  if (!argument || !resultPath) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  run(argument).then(
    (result) => {
      writeFileSync(resultPath, JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
