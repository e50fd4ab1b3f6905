// `lesiontrack`: the command line for automation and data managers. Every
// command goes through the same services as the app, on the same store.
// runCli finds the command in the table (table.ts), parses only the options
// that command declares, and turns what it returns or throws into an exit code.
import { parseArgs } from 'node:util';
import { createClient } from '../../shared/client';
import { localActor, resolveDatabasePath } from '../config';
import { openWorkstation, StoreDamagedError } from '../workstation';
import { rendererDir, workerFiles } from './bundle-files';
import { type Command, type CommandContext, commonOptions, type Io, oneOf, type OptionSpecs, type OptionValues, UsageError } from './command';
import { commandHelp, helpHint, overviewHelp } from './help';
import { commands } from './table';

/**
 * Every option of every command: enough to tell the options and their values
 * from the command's name wherever it stands (`--db x import folder`).
 */
const everyOption: OptionSpecs = Object.assign({}, commonOptions, ...commands.map((command) => command.options));

export async function runCli(argv: string[], io: Io): Promise<number> {
  const scan = parseArgs({ args: argv, options: everyOption, allowPositionals: true, strict: false, tokens: true });
  const [commandName] = scan.positionals;
  const help = scan.values.help === true;
  if (commandName === undefined) {
    (help ? io.out : io.err)(overviewHelp(commands));
    return help ? 0 : 2;
  }
  let command: Command | undefined;
  let values: OptionValues<typeof commonOptions> = {}; // outside the try: the restore hint repeats --db
  try {
    command = commandNamed(commandName);
    if (help) {
      io.out(commandHelp(command));
      return 0;
    }
    const optionsGiven = scan.tokens.flatMap((token) => (token.kind === 'option' ? [token] : []));
    const parsed = parseOptions(command, argv, optionsGiven);
    values = parsed.values;
    const dbPath = resolveDatabasePath({ db: values.db });
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io, dbPath, withWorkstation: workstationOpener(dbPath) });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lesiontrack: ${error.message}\n${helpHint(command)}\n`);
      return 2;
    }
    io.err(`lesiontrack: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof StoreDamagedError) io.err(`Restore the newest healthy backup with: lesiontrack restore --latest${values.db ? ` --db ${values.db}` : ''}\n`);
    return 1;
  }
}

function commandNamed(name: string): Command {
  const known = oneOf('command', name, commands.map((command) => command.name));
  return commands.find((command) => command.name === known)!;
}

/**
 * The command's options and its arguments (after its name), parsed with only
 * the options it accepts; an option it does not take, or parseArgs's
 * complaint, is a usage mistake.
 */
function parseOptions(command: Command, argv: string[], optionsGiven: { name: string; rawName: string }[]): Pick<CommandContext<OptionSpecs>, 'values' | 'positionals'> {
  const accepted = { ...commonOptions, ...command.options };
  const foreign = optionsGiven.find((option) => !Object.hasOwn(accepted, option.name));
  if (foreign !== undefined) throw new UsageError(`Unknown option '${foreign.rawName}' for ${command.name}.`);
  try {
    const { values, positionals } = parseArgs({ args: argv, options: accepted, allowPositionals: true });
    // The values are typed by the same specs parseArgs was given.
    return { values: values as CommandContext<OptionSpecs>['values'], positionals: positionals.slice(1) };
  } catch (error) {
    throw new UsageError(parseErrorLine(error instanceof Error ? error.message : String(error)));
  }
}

/** CommandContext.withWorkstation for the store at dbPath. */
function workstationOpener(dbPath: string): CommandContext<OptionSpecs>['withWorkstation'] {
  return async (use, options = {}) => {
    const workstation = openWorkstation({ dbPath, actor: localActor(), rendererDir, ...workerFiles, precomputeDerived: options.background === true });
    try {
      return await use({ workstation, client: createClient(workstation.dispatch) });
    } finally {
      workstation.close();
    }
  };
}

/**
 * parseArgs's message on one line: its advice on passing values that start
 * with a dash is left out, as no option of this command takes one.
 */
function parseErrorLine(message: string): string {
  return message
    .split(/(?<=[.?])\s+/)
    .filter((sentence) => !sentence.startsWith('To specify'))
    .join(' ');
}
