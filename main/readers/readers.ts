// Local reader profiles. A secret is kept only as a salted scrypt hash; it is
// asked again to choose a profile and to sign, as an electronic signature.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ParsedRequestOf, ReaderView, ResponseOf } from '../../shared/contract';
import { ServiceError } from '../services/dispatch';
import type { Reader, Session } from '../services/session';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';

// Cost parameters are stored with each hash, so they can be raised later.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };

export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret.normalize('NFC'), salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function secretMatches(secret: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(secret.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

interface ReaderRow {
  id: number;
  name: string;
  role: Reader['role'];
  secret_hash: string;
}

export function createReaders(db: Db, session: Session) {
  const now = () => new Date().toISOString();
  const selectReader = db.prepare<[number], ReaderRow>('SELECT id, name, role, secret_hash FROM readers WHERE id = ?');
  const selectReaderByName = db.prepare<[string], { id: number }>('SELECT id FROM readers WHERE name = ?');
  const selectReaders = db.prepare<[], ReaderView>('SELECT id, name, role FROM readers ORDER BY name');
  const insertReader = db.prepare('INSERT INTO readers (name, role, secret_hash, created_at) VALUES (?, ?, ?, ?)');

  /** Checks a reader's secret; a wrong one is refused and audited in its own transaction. */
  function verify(readerId: number, secret: string, purpose: string): Reader {
    const row = selectReader.get(readerId);
    if (!row) throw new ServiceError('not_found', `Reader ${readerId} does not exist.`);
    if (!secretMatches(secret, row.secret_hash)) {
      db.transaction(() => appendAudit(db, { actor: session.actor(), action: 'reader.secret_refused', entity: 'reader', entityId: readerId, newValue: { purpose } }))();
      throw new ServiceError('forbidden', 'That secret is not right for this reader.');
    }
    return { id: row.id, name: row.name, role: row.role };
  }

  return {
    verify,
    listReaders(): ResponseOf<'listReaders'> {
      return { readers: selectReaders.all(), current: session.reader(), locked: session.locked() };
    },
    createReader({ name, role, secret }: ParsedRequestOf<'createReader'>): ReaderView {
      if (selectReaderByName.get(name)) throw new ServiceError('conflict', `A reader named ${name} already exists.`);
      const hash = hashSecret(secret);
      const id = db.transaction(() => {
        const created = Number(insertReader.run(name, role, hash, now()).lastInsertRowid);
        appendAudit(db, { actor: session.actor(), action: 'reader.create', entity: 'reader', entityId: created, newValue: { name, role } });
        return created;
      })();
      return { id, name, role };
    },
    chooseReader({ readerId, secret }: ParsedRequestOf<'chooseReader'>): ReaderView {
      const reader = verify(readerId, secret, 'choose profile');
      session.choose(reader);
      db.transaction(() => appendAudit(db, { actor: session.actor(), action: 'reader.choose', entity: 'reader', entityId: reader.id }))();
      return reader;
    },
  };
}
