import type { FetchLike } from "@modelcontextprotocol/client";
import { tooLargeResponse } from "./response-limit.js";

type RequestId = string | number;

/**
 * Streamable HTTP with a cap on the size of one answer. Neither fetch nor the SDK has one: a JSON
 * body is read whole however large, and an SSE event grows without bound. This wraps fetch so
 * that the answer to a POSTed request is held to `cap` bytes: a JSON body, or any one SSE event
 * of the POST's stream, that passes the cap is dropped there, the connection to it is cancelled,
 * and every request of that POST is answered at once with a JSON-RPC error naming the size and
 * the cap. The session stays usable; the next POST is a new response.
 *
 * Not covered: the standalone GET stream and the legacy SSE transport, whose messages are not
 * answers to one POST (a huge message there is still read whole).
 */
export function cappedFetch(inner: FetchLike, cap: number): FetchLike {
  return async (url, init) => {
    const response = await inner(url, init);
    if ((init?.method ?? "GET").toUpperCase() !== "POST" || !response.ok || !response.body) return response;
    const ids = requestIds(init?.body);
    if (ids.length === 0) return response;
    const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    const body =
      type === "application/json"
        ? capJson(response.body, ids, cap)
        : type === "text/event-stream"
          ? capEvents(response.body, ids, cap)
          : undefined;
    if (!body) return response;
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The ids of the requests in a POSTed JSON-RPC body (a message or a batch). */
export function requestIds(body: unknown): RequestId[] {
  if (typeof body !== "string") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  return messages.flatMap((m) => {
    if (typeof m !== "object" || m === null || !("method" in m) || !("id" in m)) return [];
    const id = (m as { id: unknown }).id;
    return typeof id === "string" || typeof id === "number" ? [id] : [];
  });
}

const encoder = new TextEncoder();

function answersJson(ids: readonly RequestId[], received: number, cap: number): string {
  const answers = ids.map((id) => tooLargeResponse(id, received, cap, false));
  return JSON.stringify(answers.length === 1 ? answers[0] : answers);
}

/** A JSON body, held until complete (the SDK reads it whole anyway), replaced once over the cap. */
function capJson(body: ReadableStream<Uint8Array>, ids: readonly RequestId[], cap: number) {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > cap) {
          await reader.cancel().catch(() => {});
          controller.enqueue(encoder.encode(answersJson(ids, total, cap)));
          controller.close();
          return;
        }
        chunks.push(value);
      }
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Whether bytes [from, to) of `chunk` are all CR (an empty line, CRLF style). */
function onlyCarriageReturns(chunk: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (chunk[i] !== 0x0d) return false;
  return true;
}

/**
 * An SSE body passed on event by event (an event ends at an empty line); an event that grows past
 * the cap is dropped, an error event answering the POST's requests takes its place, and the stream
 * ends there.
 */
function capEvents(body: ReadableStream<Uint8Array>, ids: readonly RequestId[], cap: number) {
  const reader = body.getReader();
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let lineEmpty = true;
  return new ReadableStream<Uint8Array>({
    // Each pull must enqueue something or end the stream, or the reader waiting on it hangs.
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          if (heldBytes > 0) controller.enqueue(joined());
          controller.close();
          return;
        }
        let pos = 0;
        let eventStart = 0;
        let passed = false;
        while (pos <= value.length) {
          const newline = value.indexOf(0x0a, pos);
          const end = newline === -1 ? value.length : newline;
          if (lineEmpty && !onlyCarriageReturns(value, pos, end)) lineEmpty = false;
          if (newline === -1) break;
          if (lineEmpty) {
            // The event ends here: pass it on whole, as one chunk (the SDK's SSE parser
            // rescans what it holds on every chunk, so a large event in small chunks is slow).
            const piece = value.subarray(eventStart, newline + 1);
            if (heldBytes + piece.length > cap) return overflow(controller, heldBytes + piece.length);
            hold(piece);
            controller.enqueue(joined());
            passed = true;
            eventStart = newline + 1;
          }
          lineEmpty = true;
          pos = newline + 1;
        }
        if (eventStart < value.length) {
          hold(value.subarray(eventStart));
          if (heldBytes > cap) return overflow(controller, heldBytes);
        }
        if (passed) return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });

  function hold(piece: Uint8Array): void {
    held.push(piece);
    heldBytes += piece.length;
  }

  /** What is held, as one chunk; empties the hold. */
  function joined(): Uint8Array {
    const out = held.length === 1 ? (held[0] as Uint8Array) : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    return out;
  }

  async function overflow(controller: ReadableStreamDefaultController<Uint8Array>, received: number) {
    held = [];
    heldBytes = 0;
    await reader.cancel().catch(() => {});
    for (const id of ids) {
      const answer = JSON.stringify(tooLargeResponse(id, received, cap, false));
      controller.enqueue(encoder.encode(`event: message\ndata: ${answer}\n\n`));
    }
    controller.close();
  }
}
