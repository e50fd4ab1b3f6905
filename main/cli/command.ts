// What a `lesiontrack` command is: one entry of the table in table.ts, with
// its name, a one-line summary, its usage, the options it accepts and the
// function that runs it. The help texts, the option parsing and the refusal
// of options a command does not take are all generated from these entries.
import type { Client } from '../../shared/client';
import type { Workstation } from '../workstation';

/** An option as parseArgs takes it, with what --help says about it. */
export type OptionSpec = { type: 'string'; valueName: string; description: string; multiple?: true } | { type: 'boolean'; description: string };

export type OptionSpecs = Record<string, OptionSpec>;

/** The options every command accepts. */
export const commonOptions = {
  db: { type: 'string', valueName: 'PATH', description: 'the store to use (default: $LESIONTRACK_DB, else lesiontrack.sqlite in the user data folder)' },
  json: { type: 'boolean', description: 'machine-readable output' },
  help: { type: 'boolean', description: 'print the usage: of every command, or of the command named' },
} as const satisfies OptionSpecs;

/** The parsed value of each option: a string option's text, a boolean's presence. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K] extends { multiple: true } ? string[] : O[K] extends { type: 'string' } ? string : boolean };

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CommandContext<O extends OptionSpecs> {
  values: OptionValues<O & typeof commonOptions>;
  /** The arguments after the command's name. */
  positionals: string[];
  io: Io;
  /** The store's file: --db, else $LESIONTRACK_DB, else the user data folder's. */
  dbPath: string;
  /** Opens the store (with its start-up checks), runs `use` and closes the store whatever happens; `background`: derived images are computed as series are placed (the app does). */
  withWorkstation(use: (opened: { workstation: Workstation; client: Client }) => Promise<number>, options?: { background?: boolean }): Promise<number>;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  name: string;
  summary: string;
  /** What follows `lesiontrack <name>`: the arguments and options, optional ones in brackets. */
  usage: string;
  options: O;
  /** Returns the exit code: 0 done, 1 failed; a usage mistake throws UsageError (exit code 2). */
  run(context: CommandContext<O>): Promise<number>;
}

/** Types a command's `run` by its own options, so a value it does not declare is a type error. */
export function defineCommand<O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}

/** A mistake in the command line: answered with its message, a hint to --help and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** "a, b or c": the allowed values as a sentence says them. */
export function anyOf(values: readonly string[]): string {
  return new Intl.ListFormat('en-GB', { type: 'disjunction' }).format(values);
}

/** The value when it is one of the allowed ones; otherwise a usage mistake naming it and them. */
export function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new UsageError(`Unknown ${what} "${value}": choose ${anyOf(allowed)}.`);
  return match;
}

export function integerOption(option: string, text: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} takes a whole number from ${min} to ${max}, not "${text}".`);
  return value;
}
