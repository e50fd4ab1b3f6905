// Who is acting in this workstation session: the reader profile chosen at
// start (with its secret), or the local account until one is chosen. Every
// record and audit entry asks this at the moment it is written.
export type Actor = () => string;

export interface Reader {
  id: number;
  name: string;
  role: 'reader' | 'adjudicator' | 'data_manager';
}

export interface Session {
  actor: Actor;
  reader(): Reader | null;
  choose(reader: Reader | null): void;
}

export function createSession(fallbackActor: string): Session {
  let current: Reader | null = null;
  return {
    actor: () => (current ? `reader:${current.id}:${current.name}` : fallbackActor),
    reader: () => current,
    choose: (reader) => {
      current = reader;
    },
  };
}
