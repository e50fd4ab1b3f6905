// How records and audit entries name who acted: a reader profile as
// "reader:<id>:<name>", anything else (the local account before a reader is
// chosen) as it stands. Written in main, read back in main and the renderer.

const READER_ACTOR = /^reader:\d+:/;

export function readerActor(reader: { id: number; name: string }): string {
  return `reader:${reader.id}:${reader.name}`;
}

/** The name in an actor: a reader's name, or the actor as it stands. */
export function actorName(actor: string): string {
  return actor.replace(READER_ACTOR, '');
}
