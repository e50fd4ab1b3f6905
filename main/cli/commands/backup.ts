// `lesiontrack backup`: a consistent copy of the store now, into backups/
// beside it, for IT before a risky change (the app also takes one a day).
import { backupStore } from '../../store/backups';
import { defineCommand, UsageError } from '../command';

export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'copy the store now into backups/ beside it (the app also keeps one a day)',
  usage: '[--db PATH] [--json]',
  options: {},
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('backup takes no arguments.');
    return withWorkstation(async ({ workstation }) => {
      const backup = await backupStore(workstation.db, dbPath);
      io.out(values.json ? `${JSON.stringify({ path: backup.path, takenAt: backup.takenAt.toISOString() })}\n` : `Backup written: ${backup.path}\n`);
      return 0;
    });
  },
});
