// Who is acting in this workstation session: the reader profile chosen (with
// its secret), or the local account until one is chosen. A session belongs
// to one store: switching store starts a new one with nobody chosen. Every
// record and audit entry asks this at the moment it is written.
//
// After the trial's idle limit without a request, the chosen reader's
// session locks: reading goes on, but no change is taken until the reader
// gives their secret again (choosing their profile again), as 21 CFR Part 11
// expects of a workstation left unattended.
import { readerActor } from '../../shared/actor';
import type { ReaderView } from '../../shared/contract';
import { ServiceError } from './dispatch';

export type Actor = () => string;

/** A reader profile as the session holds it: who, and in which role. */
export type Reader = ReaderView;

export interface Session {
  actor: Actor;
  reader(): Reader | null;
  /** Chooses a reader whose secret was just checked: this also unlocks an idle session. */
  choose(reader: Reader | null): void;
  /** True once the chosen reader has been idle past the limit, until they give their secret again. */
  locked(): boolean;
  /** Called before every request; refuses a change while the session is locked. */
  admit(changes: boolean): void;
}

export interface SessionOptions {
  fallbackActor: string;
  /** The trial's idle limit, read at each request so that a new setting applies at once. */
  idleLimitMs: () => number;
  /** Milliseconds now; tests move it on instead of waiting. */
  now: () => number;
}

export function createSession({ fallbackActor, idleLimitMs, now }: SessionOptions): Session {
  let current: Reader | null = null;
  let lastRequest = now();
  let locked = false;
  const checkIdle = () => {
    if (current && now() - lastRequest > idleLimitMs()) locked = true;
  };
  return {
    actor: () => (current ? readerActor(current) : fallbackActor),
    reader: () => current,
    choose: (reader) => {
      current = reader;
      locked = false;
      lastRequest = now();
    },
    locked: () => {
      checkIdle();
      return locked;
    },
    admit(changes) {
      checkIdle();
      lastRequest = now();
      if (locked && changes) {
        const minutes = Math.round(idleLimitMs() / 60_000);
        throw new ServiceError('reauthenticate', `Your session was idle for more than ${minutes} minute${minutes === 1 ? '' : 's'}. Give your secret again (the reader button at the top right) to go on.`);
      }
    },
  };
}
