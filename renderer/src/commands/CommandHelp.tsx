// The help overlay (?), written from the command table: the commands of the
// screens open now, with their keys, and the mouse gestures beside them.
import type { CommandScope } from './command';
import { keyLabel } from './command';
import { COMMANDS, GESTURES } from './command-table';
import { useCommandContext } from './use-commands';

const SCOPE_TITLE: Readonly<Record<CommandScope, string>> = { reading: 'Reading room', viewer: 'Image viewer', app: 'Everywhere' };

export function CommandHelp() {
  const { helpOpen, reading, viewer, toggleHelp } = useCommandContext();
  if (!helpOpen) return null;
  const scopes: CommandScope[] = [...(reading ? ['reading' as const] : []), ...(viewer ? ['viewer' as const] : []), 'app'];
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
      {scopes.map((scope) => (
        <section key={scope}>
          <h2>{SCOPE_TITLE[scope]}</h2>
          <dl className="shortcuts">
            {GESTURES.filter((gesture) => gesture.scope === scope).flatMap((gesture) => [<dt key={`${gesture.how}-k`}>{gesture.how}</dt>, <dd key={`${gesture.how}-d`}>{gesture.label}</dd>])}
            {COMMANDS.filter((command) => command.scope === scope).flatMap((command) => [
              <dt key={`${command.id}-k`} data-testid="help-keys" data-command={command.id}>
                {command.keys.map(keyLabel).join(' ')}
              </dt>,
              <dd key={`${command.id}-d`}>{command.label}</dd>,
            ])}
          </dl>
        </section>
      ))}
      <button type="button" onClick={toggleHelp}>
        Close
      </button>
    </div>
  );
}
