// The help texts of `lesiontrack`, generated from the table of commands: the
// overview (`lesiontrack --help`) and one command's (`lesiontrack <cmd> --help`).
import { type Command, commonOptions, type OptionSpecs } from './command';

const EXIT_CODES = `Exit codes:
  0   done (an import whose instances were all in the store already is done too)
  1   failed: an import that stored nothing (no DICOM files found, or every file rejected),
      a broken audit trail, a refused export or any other error; the output says why
  2   a usage mistake: an unknown command or option, a missing or wrong option value
`;

export function overviewHelp(commands: readonly Command[]): string {
  return [
    'Usage: lesiontrack <command> [options]',
    '',
    'Commands:',
    ...columns(commands.map((command) => [command.name, command.summary])),
    '',
    'Options of every command:',
    ...optionLines(commonOptions),
    '',
    EXIT_CODES,
    '"lesiontrack <command> --help" gives the usage and options of one command.',
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `lesiontrack ${command.name}: ${command.summary}`,
    '',
    `Usage: lesiontrack ${command.name} ${command.usage}`,
    '',
    'Options:',
    ...optionLines({ ...command.options, ...commonOptions }),
    '',
  ].join('\n');
}

/** Where a usage mistake sends the user: the command's own help once the command is known. */
export function helpHint(command: Command | undefined): string {
  return command === undefined ? 'See "lesiontrack --help" for the commands.' : `See "lesiontrack ${command.name} --help" for its usage and options.`;
}

function optionLines(options: OptionSpecs): string[] {
  return columns(Object.entries(options).map(([name, spec]) => [spec.type === 'string' ? `--${name} ${spec.valueName}${spec.multiple ? ' (repeatable)' : ''}` : `--${name}`, spec.description]));
}

/** Two-column lines, indented, the second column aligned after the widest first. */
function columns(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
