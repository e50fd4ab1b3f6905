// The commands of `lesiontrack`, in the order `lesiontrack --help` lists them.
// To add a command: write its module in commands/, list it here, and give it
// a line in the README's "Command line" section (a test checks that).
import type { Command } from './command';
import { agreementCommand } from './commands/agreement';
import { auditCommand } from './commands/audit';
import { backupCommand } from './commands/backup';
import { countsCommand } from './commands/counts';
import { demoCommand } from './commands/demo';
import { exportCommand } from './commands/export';
import { hostCommand } from './commands/host';
import { importCommand } from './commands/import';
import { listenCommand } from './commands/listen';
import { pacsCommand } from './commands/pacs';
import { dicomwebCommand } from './commands/dicomweb';
import { restoreCommand } from './commands/restore';
import { seriesCommand } from './commands/series';

export const commands: readonly Command[] = [importCommand, seriesCommand, hostCommand, listenCommand, pacsCommand, dicomwebCommand, countsCommand, agreementCommand, auditCommand, backupCommand, restoreCommand, demoCommand, exportCommand];
