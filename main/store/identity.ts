// The store's own identity: 128 random bits made once, by migration 6. UIDs
// that must stay the same at every export (a lesion's tracking UID, a signed
// read's SR) are derived from it and a name, so they are globally unique
// without a UID root of our own, and a copy or a restored backup of the store
// gives the same ones.
import { createHash } from 'node:crypto';
import type { Db } from './database';
import { storeUid } from './settings';
import { bitsFromBytes, uidFromBits } from '../../shared/uid';

export function storeIdentity(db: Db): string {
  const uid = storeUid(db);
  if (uid === null || !/^[0-9a-f]{32}$/.test(uid)) throw new Error('the store has no identity (settings.store_uid); it was not migrated');
  return uid;
}

/** A UID from the SHA-256 of a text: the same text always gives the same UID. */
export function uidFromText(text: string): string {
  return uidFromBits(bitsFromBytes(createHash('sha256').update(text).digest()));
}

/** The same name in the same store always gives the same UID. */
export function derivedUid(identity: string, name: string): string {
  return uidFromText(`${identity}|${name}`);
}

/** A lesion's Tracking Unique Identifier (DICOM SR, DCM 112040): one per lesion, at every visit. */
export function trackingUid(identity: string, lesionId: number): string {
  return derivedUid(identity, `lesion ${lesionId}`);
}
