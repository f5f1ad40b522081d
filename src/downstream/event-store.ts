import type { EventStore, JSONRPCMessage } from "@modelcontextprotocol/server";

/** Events kept per session: enough to resume a dropped stream, bounded so a session cannot grow. */
const MAX_EVENTS = 200;

/**
 * The events of one HTTP session, so that a client whose SSE stream dropped can reconnect with
 * `Last-Event-ID` and get what it missed. Lives and dies with its session; keeps the last
 * MAX_EVENTS events only.
 */
export class SessionEventStore implements EventStore {
  private readonly events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  private next = 0;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.next += 1;
    const id = `${streamId}_${this.next}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > MAX_EVENTS) this.events.shift();
    return id;
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
