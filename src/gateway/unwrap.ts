import type { CallToolResult } from "../upstream/index.js";

export type Unwrapped =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/**
 * What a Code Mode script gets back from a tool call (pure): `structuredContent` when present,
 * else the text (parsed as JSON when it is JSON), else the content blocks as they are. An
 * `isError` result becomes a failure whose message is the upstream's text.
 */
export function unwrapToolResult(result: CallToolResult): Unwrapped {
  const content = Array.isArray(result.content) ? result.content : [];
  const texts = content.flatMap((block) => (block.type === "text" ? [block.text] : []));
  if (result.isError) {
    const message = texts.join("\n").trim();
    return { ok: false, message: message === "" ? "the tool reported an error without a message" : message };
  }
  if (result.structuredContent !== undefined) return { ok: true, value: result.structuredContent };
  if (content.length === 0) return { ok: true, value: null };
  if (texts.length === content.length) {
    const text = texts.join("\n");
    return { ok: true, value: texts.length === 1 ? parseJsonOr(text) : text };
  }
  return { ok: true, value: content };
}

function parseJsonOr(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "" || !/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}
