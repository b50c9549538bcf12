// Per node: what recent socket handshakes read about their session (the user, their rooms), kept for a
// few seconds by session id, and the handshakes still in flight. A reconnect storm brings every tab
// of a session back at once (20 tabs, one cookie): one database read serves them all.
//
// Nothing here may let a revoked session in, or a socket into a room left meanwhile. Every change
// that could make a kept answer wrong (a sign-out, sign-out everywhere, a deactivation, a password
// change, a revoked token, a room joined or left, a role or two-factor policy change) goes through
// lib/realtime/server/registry.ts, which calls `invalidate` here on this node and on every other node
// (through the Socket.IO adapter, awaited) BEFORE it closes sockets or moves them between channels,
// and before the request that made the change answers. `invalidate`:
//  - drops the kept answers (and reads in flight) of that session or user, so a later handshake reads
//    the database, after the commit;
//  - marks every handshake of that session or user still in flight as stale: its read may predate the
//    commit, and the close or channel move that follows cannot reach a socket that is not connected
//    yet. A stale handshake reads once more when it is connected (server.ts, "connection"); from then
//    on, a change reaches it through its user and session channels like any other socket.
// So a handshake reads the database once, and a second time only when a change raced it.
import type { AuthChange } from "@/lib/realtime/events";
import type { SessionUser } from "@/lib/users/users.schema";

export type { AuthChange };

/** What a handshake reads about its session: its user and the ids of their rooms. */
export interface HandshakeRead {
  user: SessionUser;
  roomIds: string[];
}

/** A handshake in flight. `uid`/`sid` unset: not known yet (a token's), so every change concerns it. */
export interface PendingHandshake {
  uid?: string;
  sid?: string;
  /** Set by a change that concerned it: its read may be older than that change. */
  stale: boolean;
}

interface Entry extends HandshakeRead {
  uid: string;
  sv: number;
  expires: number;
}

interface Inflight {
  uid: string;
  sv: number;
  promise: Promise<HandshakeRead | null>;
}

/** How long a session check is kept: a change is pushed, so this bounds only memory and idle reuse. */
export const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 20_000;

/** A token's session version as the session check compares it (users.service.ts currentSession). */
function versionOf(sv: unknown): number {
  return typeof sv === "number" ? sv : 0;
}

export class HandshakeAuth {
  private readonly entries = new Map<string, Entry>();
  private readonly sidsOfUser = new Map<string, Set<string>>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly pending = new Set<PendingHandshake>();

  constructor(
    private readonly ttlMs = SESSION_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Register a handshake before it reads anything; `finish` it once it is connected or refused. */
  begin(uid?: string, sid?: string): PendingHandshake {
    const p: PendingHandshake = { uid, sid, stale: false };
    this.pending.add(p);
    return p;
  }

  finish(p: PendingHandshake): void {
    this.pending.delete(p);
  }

  /** A handshake's uid and sid became known (an API token's, after its read). */
  bind(p: PendingHandshake, uid: string, sid: string): void {
    p.uid = uid;
    p.sid = sid;
  }

  /** Handshakes registered and not finished (for tests and metrics). */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * The session's user and rooms: kept from a handshake of the same session a moment ago, or read
   * (`read`, once for all handshakes of the session that ask meanwhile). Call after `begin`.
   */
  lookup(
    ref: { uid: string; sid: string; sv: unknown },
    read: () => Promise<HandshakeRead | null>,
  ): Promise<HandshakeRead | null> {
    const sv = versionOf(ref.sv);
    const e = this.entries.get(ref.sid);
    if (e && e.uid === ref.uid && e.sv === sv) {
      if (e.expires > this.now()) return Promise.resolve({ user: e.user, roomIds: e.roomIds });
      this.drop(ref.sid);
    }
    const f = this.inflight.get(ref.sid);
    if (f && f.uid === ref.uid && f.sv === sv) return f.promise;
    // The read's own registration: a change while it runs means its answer must not be kept.
    const guard = this.begin(ref.uid, ref.sid);
    const entry: Inflight = { uid: ref.uid, sv, promise: Promise.resolve(null) };
    entry.promise = read()
      .then((r) => {
        // A session that must set up two-factor first is refused; its fix (setting it up) is not
        // pushed, so it is never kept.
        if (r && !guard.stale && !r.user.twoFactorSetupRequired) this.keep(ref.sid, ref.uid, sv, r);
        return r;
      })
      .finally(() => {
        this.finish(guard);
        if (this.inflight.get(ref.sid) === entry) this.inflight.delete(ref.sid);
      });
    this.inflight.set(ref.sid, entry);
    return entry.promise;
  }

  /** Forget what `change` concerns and mark the handshakes in flight it concerns as stale. */
  invalidate(change: AuthChange): void {
    if (change.all) {
      this.entries.clear();
      this.sidsOfUser.clear();
      this.inflight.clear();
      for (const p of this.pending) p.stale = true;
      return;
    }
    const sids = new Set(change.sids ?? []);
    const users = new Set(change.userIds ?? []);
    for (const uid of users) for (const sid of this.sidsOfUser.get(uid) ?? []) sids.add(sid);
    for (const sid of sids) this.drop(sid);
    for (const [sid, f] of this.inflight) if (sids.has(sid) || users.has(f.uid)) this.inflight.delete(sid);
    for (const p of this.pending) {
      if (p.uid === undefined || p.sid === undefined || users.has(p.uid) || sids.has(p.sid)) p.stale = true;
    }
  }

  private keep(sid: string, uid: string, sv: number, r: HandshakeRead): void {
    this.drop(sid);
    if (this.entries.size >= MAX_ENTRIES) {
      // The oldest first (a Map iterates in insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    this.entries.set(sid, { ...r, uid, sv, expires: this.now() + this.ttlMs });
    let set = this.sidsOfUser.get(uid);
    if (!set) {
      set = new Set();
      this.sidsOfUser.set(uid, set);
    }
    set.add(sid);
  }

  private drop(sid: string): void {
    const e = this.entries.get(sid);
    if (!e) return;
    this.entries.delete(sid);
    const set = this.sidsOfUser.get(e.uid);
    set?.delete(sid);
    if (set && set.size === 0) this.sidsOfUser.delete(e.uid);
  }
}
