// `lesiontrack export`: write the reads in one of the export formats into a
// folder, through the same service (and audit entry) as the app's export.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { type RedcapMapping, RedcapMappingSchema } from '../../../shared/contract';
import { FORMATS } from '../../exports/formats';
import { anyOf, defineCommand, oneOf, UsageError } from '../command';

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write the reads in one export format into a folder (subject codes only)',
  usage: '--format FORMAT --out FOLDER [--signed-only | --preliminary] [--mapping FILE] [--db PATH] [--json]',
  options: {
    format: { type: 'string', valueName: 'FORMAT', description: `${anyOf(FORMATS)} (docs/EXPORTS.md describes each)` },
    out: { type: 'string', valueName: 'FOLDER', description: 'the folder to write the files into' },
    'signed-only': { type: 'boolean', description: 'only the signed reads; without it or --preliminary, any unsigned read refuses the export' },
    preliminary: { type: 'boolean', description: 'include unsigned reads, in files marked PRELIMINARY' },
    mapping: { type: 'string', valueName: 'FILE', description: 'for redcap: JSON with "events" and "fields" renames' },
  },
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('export takes no arguments: give --format and --out.');
    if (values.format === undefined) throw new UsageError(`export needs --format: choose ${anyOf(FORMATS)}.`);
    const format = oneOf('export format', values.format, FORMATS);
    const out = values.out;
    if (out === undefined || out === '') throw new UsageError('export needs --out FOLDER.');
    if (values['signed-only'] && values.preliminary) throw new UsageError('give --signed-only or --preliminary, not both.');
    const redcapMapping = values.mapping === undefined ? undefined : readMapping(resolve(values.mapping));
    const reads = values['signed-only'] ? 'signed' : values.preliminary ? 'preliminary' : 'all';
    return withWorkstation(async ({ client }) => {
      const { files } = await client.exportFiles({ format, reads, redcapMapping });
      const folder = resolve(out);
      const written = files.map((file) => {
        const path = join(folder, ...file.name.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content);
        return path;
      });
      io.out(values.json ? `${JSON.stringify({ files: written })}\n` : written.map((path) => `${path}\n`).join(''));
      return 0;
    });
  },
});

function readMapping(path: string): RedcapMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the mapping file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the mapping file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const mapping = RedcapMappingSchema.safeParse(json);
  if (!mapping.success) throw new UsageError(`the mapping file ${path} is not a REDCap mapping: ${z.prettifyError(mapping.error)}`);
  return mapping.data;
}
