// Reads a DICOMDIR (the index on CDs and USB media) for the files it lists,
// so that the import can say which listed files are missing. Files not listed
// are still found by the folder walk.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import dicomParser from 'dicom-parser';

const DIRECTORY_RECORDS = 'x00041220';
const REFERENCED_FILE_ID = 'x00041500';
const MAX_DICOMDIR_BYTES = 64 * 1024 * 1024;

export function isDicomdirName(path: string): boolean {
  return basename(path).toUpperCase() === 'DICOMDIR';
}

export interface DicomdirListing {
  /** Listed files found on the media (absolute paths as they are spelled on disk). */
  present: string[];
  /** Listed files not found, as the DICOMDIR spells them. */
  missing: string[];
}

/** Null when the file cannot be read as a DICOMDIR: the walk still finds everything. */
export function readDicomdir(path: string): DicomdirListing | null {
  let dataSet;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_DICOMDIR_BYTES) return null;
    dataSet = dicomParser.parseDicom(bytes);
  } catch {
    return null;
  }
  const records = dataSet.elements[DIRECTORY_RECORDS]?.items ?? [];
  const resolve = caseInsensitiveResolver(dirname(path));
  const listing: DicomdirListing = { present: [], missing: [] };
  for (const record of records) {
    const fileId = record.dataSet?.string(REFERENCED_FILE_ID);
    if (!fileId) continue;
    const parts = fileId.split('\\').map((part) => part.trim()).filter(Boolean);
    if (parts.length === 0 || parts.some((part) => part === '..' || part === '.')) continue;
    const found = resolve(parts);
    if (found) listing.present.push(found);
    else listing.missing.push(parts.join('/'));
  }
  return listing;
}

/** Media written on one system are read on another: match each path component ignoring case. */
function caseInsensitiveResolver(root: string): (parts: string[]) => string | null {
  const listings = new Map<string, Map<string, string>>();
  const entries = (folder: string) => {
    let names = listings.get(folder);
    if (!names) {
      names = new Map();
      try {
        for (const name of readdirSync(folder)) names.set(name.toUpperCase(), name);
      } catch {
        // An unreadable folder lists nothing.
      }
      listings.set(folder, names);
    }
    return names;
  };
  return (parts) => {
    let current = root;
    for (const part of parts) {
      const actual = entries(current).get(part.toUpperCase());
      if (actual === undefined) return null;
      current = join(current, actual);
    }
    return current;
  };
}
