// What a command is: an id, the keys that run it, a label that says what it
// does (the help overlay's words and the buttons' tooltips), when it applies,
// and what it runs. The command table (command-table.ts) lists them all;
// nothing else binds a key, so a key cannot do one thing and say another.
// Pure: no DOM here, so the tests read the table in Node.

/** What a command acts on: each screen adds its part while it is open. */
export interface CommandContext<Reading = unknown, Viewer = unknown> {
  app: AppCommands;
  reading: Reading | null;
  viewer: Viewer | null;
}

/** What every screen can ask of the app. */
export interface AppCommands {
  helpOpen: boolean;
  toggleHelp(): void;
}

export type CommandScope = 'app' | 'reading' | 'viewer';

export interface Command<Context> {
  id: string;
  scope: CommandScope;
  /** Key names as keys.ts names them ('ArrowUp', 'Shift+ArrowUp', 'n', '?'). */
  keys: readonly string[];
  label: string;
  /** False where the command does not apply now: its keys then do nothing. */
  when?: (context: Context) => boolean;
  run: (context: Context) => void;
}

/** A mouse gesture, said in the help beside the keys (it is bound by the viewport, not by a key). */
export interface Gesture {
  scope: CommandScope;
  how: string;
  label: string;
}

const KEY_SYMBOLS: Readonly<Record<string, string>> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', PageUp: 'PgUp', PageDown: 'PgDn', Escape: 'Esc' };

/** A key as the help shows it: ↑, Shift+↓, PgUp, Esc, N. */
export function keyLabel(key: string): string {
  const shift = key.startsWith('Shift+');
  const name = shift ? key.slice('Shift+'.length) : key;
  const shown = KEY_SYMBOLS[name] ?? (name.length === 1 ? name.toUpperCase() : name);
  return shift ? `Shift+${shown}` : shown;
}

/** A button's tooltip for a command: its label and its keys. */
export function commandTitle(command: Pick<Command<never>, 'label' | 'keys'>): string {
  return command.keys.length > 0 ? `${command.label} (${command.keys.map(keyLabel).join(' ')})` : command.label;
}

/** The command a key runs now: the first whose key it is and whose condition holds. */
export function commandFor<Context>(commands: readonly Command<Context>[], key: string, context: Context): Command<Context> | null {
  return commands.find((command) => command.keys.includes(key) && (command.when?.(context) ?? true)) ?? null;
}
