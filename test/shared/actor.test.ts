// Who acted, as records write it and screens read it back.
import { describe, expect, it } from 'vitest';
import { actorName, readerActor } from '../../shared/actor';

describe('actors', () => {
  it('writes a reader profile with its id and name, and reads the name back', () => {
    const actor = readerActor({ id: 12, name: 'Dr Ana Neuro' });
    expect(actor).toBe('reader:12:Dr Ana Neuro');
    expect(actorName(actor)).toBe('Dr Ana Neuro');
  });

  it('keeps a name that itself has colons whole', () => {
    expect(actorName(readerActor({ id: 3, name: 'Dr A: Neuro' }))).toBe('Dr A: Neuro');
  });

  it('leaves any other actor as it stands', () => {
    expect(actorName('os:alice')).toBe('os:alice');
    expect(actorName('reader:x:not a profile')).toBe('reader:x:not a profile');
    expect(actorName('')).toBe('');
  });
});
