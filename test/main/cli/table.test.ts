// The table of commands: every entry complete, options parseable together,
// and every command named in the README (so a new one cannot go unlisted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonOptions } from '../../../main/cli/command';
import { commands } from '../../../main/cli/table';
import { projectRoot } from '../../helpers/fixtures';

describe('the table of commands', () => {
  it('gives every command a unique name, a summary, a usage, described options and a run', () => {
    expect(commands.map((command) => command.name)).toEqual(['import', 'series', 'host', 'listen', 'pacs', 'dicomweb', 'counts', 'agreement', 'audit', 'backup', 'restore', 'demo', 'export']);
    for (const command of commands) {
      expect(command.summary, command.name).toMatch(/^[a-z].{10,90}[^.]$/);
      expect(command.usage, command.name).toMatch(/\S/);
      expect(typeof command.run, command.name).toBe('function');
      for (const [name, spec] of Object.entries(command.options)) {
        expect(spec.description, `${command.name} --${name}`).toMatch(/\S/);
        expect(Object.hasOwn(commonOptions, name), `${command.name} --${name} redeclares a common option`).toBe(false);
      }
    }
  });

  it('gives an option the same type in every command that has it, so one scan can find the command', () => {
    const types = new Map<string, Set<string>>();
    for (const command of commands) {
      for (const [name, spec] of Object.entries(command.options)) types.set(name, (types.get(name) ?? new Set()).add(spec.type));
    }
    expect([...types].filter(([, kinds]) => kinds.size > 1)).toEqual([]);
  });

  it("is listed in the README's Command line section, one command at a time", () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 1));
    const named = commands.map((command) => command.name).filter((name) => section.includes(`\`lesiontrack ${name}`));
    expect(named).toEqual(commands.map((command) => command.name));
  });
});
