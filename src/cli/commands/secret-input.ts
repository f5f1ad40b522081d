import { VoidError } from "../../core/index.js";

/** The parts of a terminal or pipe the value is read from (process.stdin, process.stderr). */
export interface SecretInput {
  readonly stdin: NodeJS.ReadStream;
  readonly prompt: NodeJS.WriteStream;
}

/**
 * Pure: the value in what was piped in. One trailing line break is what `echo` and editors add,
 * not part of the secret; anything else is kept as it is.
 */
export function pipedValue(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

/**
 * Reads a secret: with a hidden prompt on stderr when stdin is a terminal (raw mode, nothing is
 * echoed; Backspace deletes, Ctrl-C cancels, Enter ends), else all of stdin (see pipedValue).
 */
export async function readSecretValue(prompt: string, input: SecretInput): Promise<string> {
  const { stdin } = input;
  if (!stdin.isTTY) {
    let text = "";
    stdin.setEncoding("utf8");
    for await (const chunk of stdin) text += chunk as string;
    return pipedValue(text);
  }
  input.prompt.write(prompt);
  stdin.setEncoding("utf8");
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n" || char === "\u0004") {
            stdin.off("data", onData);
            resolve(value);
            return;
          }
          if (char === "\u0003") {
            stdin.off("data", onData);
            reject(new VoidError("usage", "cancelled; nothing was stored"));
            return;
          }
          if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
          else value += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    input.prompt.write("\n");
  }
}
