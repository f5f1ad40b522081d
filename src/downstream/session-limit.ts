/** What the session limit needs to know of one HTTP session. */
export interface SessionUse {
  readonly id: string;
  /** Requests (streams included) in progress. */
  readonly active: number;
  /** When the session's last request started or ended (ms). */
  readonly lastSeen: number;
}

/**
 * Which sessions to end so that `room` more fit under `maxSessions` (pure): the idle-longest
 * first, and sessions with no request in progress before any that has one (an open stream
 * counts), so a client that is using its session loses it last.
 */
export function sessionsToEvict(sessions: Iterable<SessionUse>, maxSessions: number, room = 0): string[] {
  const all = [...sessions];
  const excess = all.length + room - Math.max(0, maxSessions);
  if (excess <= 0) return [];
  return all
    .sort((a, b) => Number(a.active > 0) - Number(b.active > 0) || a.lastSeen - b.lastSeen)
    .slice(0, excess)
    .map((s) => s.id);
}

/** Whether an idle session's resumable events can go: no stream of it can still be resumed. */
export function eventsExpired(session: SessionUse, now: number, keepMs: number): boolean {
  return session.active === 0 && now - session.lastSeen > keepMs;
}
