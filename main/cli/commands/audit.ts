// `lesiontrack audit verify`: check a store without opening it as the app
// does, so that a store failing the start-up checks can still be reported on.
import Database from 'better-sqlite3';
import { storeProblems } from '../../reads/store-check';
import { verifyAudit } from '../../store/audit';
import { defineCommand, oneOf, UsageError } from '../command';

export const auditCommand = defineCommand({
  name: 'audit',
  summary: "check the store's audit trail, reading rows and signed reads; exit 1 names each problem",
  usage: 'verify [--db PATH] [--json]',
  options: {},
  async run({ values, positionals, io, dbPath }) {
    if (positionals.length !== 1) throw new UsageError('audit takes one subcommand: verify.');
    oneOf('audit subcommand', positionals[0]!, ['verify']);
    // Read the store as it is, without the start-up checks: reporting what is broken is the point.
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const { entries } = verifyAudit(db);
      const problems = storeProblems(db);
      if (values.json) io.out(`${JSON.stringify({ ok: problems.length === 0, entries, problems })}\n`);
      else if (problems.length === 0) io.out(`Store intact: ${entries} audit entries; every reading row and signed read is as the trail records.\n`);
      else io.out(`Store check FAILED (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((problem) => `- ${problem}`).join('\n')}\n`);
      return problems.length === 0 ? 0 : 1;
    } finally {
      db.close();
    }
  },
});
