// `lesiontrack restore`: put a backup in place of a damaged store. It works on
// the files alone, as a damaged store cannot be opened.
import { resolve } from 'node:path';
import { latestHealthyBackup, restoreBackup } from '../../store/backups';
import { defineCommand, UsageError } from '../command';

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'put a backup in place of a damaged store; the old file is moved aside, not deleted',
  usage: '(--latest | --from FILE) [--db PATH]',
  options: {
    latest: { type: 'boolean', description: 'the newest backup in backups/ beside the store that passes the checks' },
    from: { type: 'string', valueName: 'FILE', description: 'this backup file' },
  },
  async run({ values, positionals, io, dbPath }) {
    if (positionals.length !== 0 || (values.from === undefined) === !values.latest) throw new UsageError('restore takes --latest or --from FILE.');
    const backup = values.from !== undefined ? resolve(values.from) : latestHealthyBackup(dbPath)?.path;
    if (backup === undefined) throw new Error(`No healthy backup of ${dbPath} was found.`);
    const aside = restoreBackup(dbPath, backup);
    io.out(`Restored ${backup}\nThe previous store was moved to ${aside} (kept, not deleted).\n`);
    return 0;
  },
});
