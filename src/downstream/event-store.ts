import type { EventStore, JSONRPCMessage } from "@modelcontextprotocol/server";

/** Events kept per session: enough to resume a dropped stream, bounded so a session cannot grow. */
const MAX_EVENTS = 200;
/**
 * Bytes of serialized messages kept per session. A stream is resumed seconds after it dropped,
 * so the recent events are what matter; without a byte bound, 200 large tool results would stay
 * in memory for as long as the session lives.
 */
const MAX_BYTES = 1024 * 1024;

interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  /** The message itself: it mostly shares its parts (tools, results) with the gateway's own. */
  readonly message: JSONRPCMessage;
  /** Its length as JSON, what it would cost on its own. */
  readonly bytes: number;
}

/**
 * The events of one HTTP session, so that a client whose SSE stream dropped can reconnect with
 * `Last-Event-ID` and get what it missed. Lives and dies with its session; keeps the last
 * MAX_EVENTS events within MAX_BYTES (the newest event is always kept), and nothing after
 * `clear()` (the session went idle, so no stream of it is waiting to be resumed).
 */
export class SessionEventStore implements EventStore {
  private events: StoredEvent[] = [];
  private bytes = 0;
  private next = 0;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.next += 1;
    const id = `${streamId}_${this.next}`;
    const bytes = JSON.stringify(message).length;
    this.events.push({ id, streamId, message, bytes });
    this.bytes += bytes;
    while (this.events.length > 1 && (this.events.length > MAX_EVENTS || this.bytes > MAX_BYTES)) {
      this.bytes -= this.events.shift()?.bytes ?? 0;
    }
    return id;
  }

  /** Forgets every event (the ids already given out simply cannot be resumed from). */
  clear(): void {
    this.events = [];
    this.bytes = 0;
  }

  /** How many bytes of messages are kept (for tests and the bench). */
  get size(): { events: number; bytes: number } {
    return { events: this.events.length, bytes: this.bytes };
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((e) => e.id === eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at === -1) return "";
    const streamId = this.events[at]?.streamId ?? "";
    for (const event of this.events.slice(at + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
