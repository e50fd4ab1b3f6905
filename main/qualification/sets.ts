// Qualification sets in the store: a store holds one set and nothing else.
// The set (seed, difficulty, participants) is recorded once, audited, in a
// store with no participants and no images yet; recording the same set again
// is a no-op, and any other set, or a store already holding a trial's data,
// is refused. The trial's own store never gets a set, so the two never mix.
import { canonicalJson } from '../../shared/canonical-json';
import type { QualificationSet } from '../../shared/contract';
import { ServiceError } from '../services/dispatch';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings';

export function createQualificationSets(db: Db, actor: () => string) {
  const held = db.prepare<[], { participants: number; patients: number }>('SELECT (SELECT count(*) FROM participants) AS participants, (SELECT count(*) FROM patients) AS patients');
  const current = () => readSetting<QualificationSet | null>(db, 'qualification_set', null);
  return {
    qualificationSet: current,
    recordQualificationSet({ set }: { set: QualificationSet }): QualificationSet {
      const recorded = current();
      if (recorded !== null) {
        if (canonicalJson(recorded) === canonicalJson(set)) return recorded;
        throw new ServiceError('conflict', `This store holds the qualification set of seed "${recorded.seed}" (${recorded.difficulty}, ${recorded.participants} participants): a store holds one set. Create the new set in a new store.`);
      }
      const { participants, patients } = held.get()!;
      if (participants > 0 || patients > 0) {
        throw new ServiceError('conflict', `This store already holds ${participants} participants and ${patients} patients: a qualification set goes into a store of its own, never beside a trial's data. Create it in a new store.`);
      }
      db.transaction(() => {
        writeSetting(db, 'qualification_set', set);
        appendAudit(db, { actor: actor(), action: 'qualification-set.create', entity: 'settings', entityId: 'qualification_set', oldValue: null, newValue: set, reason: null });
      })();
      return set;
    },
  };
}
