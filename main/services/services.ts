// The services behind every request of the contract. Hosts differ only in
// the capabilities they pass in (a native folder dialog exists in Electron).
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { listSeries, seriesImages } from '../store/catalog';
import type { Region } from '../../shared/protocol';
import { createLesions } from '../lesions/lesions';
import { createOrganisation } from '../trial/organisation';
import type { Db } from '../store/database';
import { ServiceError, type Services } from './dispatch';
import { createImportJobs } from './import-jobs';

export interface HostCapabilities {
  /** Opens the platform's folder picker; absent where there is none. */
  chooseFolder?: () => Promise<string | null>;
}

export interface ServiceContext {
  db: Db;
  actor: string;
  host: HostCapabilities;
  /** The built header worker; without it headers are read on this thread. */
  headerWorkerFile?: string | undefined;
}

export function createServices({ db, actor, host, headerWorkerFile }: ServiceContext): Services {
  const organisation = createOrganisation(db, actor);
  const imports = createImportJobs(db, actor, headerWorkerFile);
  const lesions = createLesions(db, actor, () => {
    const scanned = new Map<number, Map<Region, Set<string>>>();
    for (const row of organisation.worklist().rows) {
      const regions = new Map<Region, Set<string>>();
      for (const cell of row.cells) if (cell.status === 'present') regions.set(cell.region, (regions.get(cell.region) ?? new Set()).add(cell.visitCode));
      scanned.set(row.participantId, regions);
    }
    return scanned;
  });
  return {
    ...organisation,
    ...lesions,
    async chooseFolder() {
      if (!host.chooseFolder) return { supported: false, folder: null };
      return { supported: true, folder: await host.chooseFolder() };
    },
    importFolder({ folder }) {
      requireFolder(folder);
      return imports.runToEnd(folder);
    },
    startImport({ folder }) {
      requireFolder(folder);
      return imports.start(folder);
    },
    importStatus: ({ jobId }) => imports.status(jobId),
    cancelImport: ({ jobId }) => imports.cancel(jobId),
    listSeries() {
      return listSeries(db);
    },
    seriesImages({ seriesId }) {
      const images = seriesImages(db, seriesId);
      if (!images) throw new ServiceError('not_found', `Series ${seriesId} is not in the store.`);
      return { seriesId, images };
    },
  };
}

function requireFolder(folder: string): void {
  if (!isAbsolute(folder)) throw new ServiceError('invalid_request', 'Give the full path of the folder to import.');
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new ServiceError('not_found', `Folder not found: ${folder}`);
  }
  if (!isFolder) throw new ServiceError('invalid_request', `Not a folder: ${folder}`);
}
