// The store's identity and the UIDs derived from it: a lesion's tracking UID
// must be the same at every export and after a reopen, and differ between
// lesions and between stores.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/database';
import { derivedUid, storeIdentity, trackingUid } from '../../../main/store/identity';
import { tempFolder } from '../../helpers/fixtures';

describe('store identity', () => {
  it('is made once, by the migration, and survives a reopen', () => {
    const file = join(tempFolder(), 'store.sqlite');
    const first = openDatabase(file);
    const identity = storeIdentity(first);
    expect(identity).toMatch(/^[0-9a-f]{32}$/);
    first.close();
    const again = openDatabase(file);
    expect(storeIdentity(again)).toBe(identity);
    again.close();
  });

  it('differs between two stores, and so do their tracking UIDs', () => {
    const a = openDatabase(join(tempFolder(), 'a.sqlite'));
    const b = openDatabase(join(tempFolder(), 'b.sqlite'));
    expect(storeIdentity(a)).not.toBe(storeIdentity(b));
    expect(trackingUid(storeIdentity(a), 1)).not.toBe(trackingUid(storeIdentity(b), 1));
    a.close();
    b.close();
  });

  it('gives one valid tracking UID per lesion, the same every time', () => {
    const identity = '0123456789abcdef0123456789abcdef';
    const uids = Array.from({ length: 1000 }, (_, index) => trackingUid(identity, index + 1));
    expect(new Set(uids).size).toBe(1000);
    for (const uid of uids) expect(uid).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
    expect(trackingUid(identity, 7)).toBe(uids[6]);
    expect(derivedUid(identity, 'lesion 7')).toBe(uids[6]);
  });

  it('is refused with a clear message when missing', () => {
    const db = openDatabase(join(tempFolder(), 'store.sqlite'));
    db.prepare("DELETE FROM settings WHERE key = 'store_uid'").run();
    expect(() => storeIdentity(db)).toThrow(/the store has no identity/);
    db.close();
  });
});
