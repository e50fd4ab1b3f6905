// Each enum of the domain is written out once, in the contract
// (shared/contract/), and everything else takes it from there: types by
// z.infer, lists by `.options`. This reads the source tree (shared/, main/,
// renderer/src/) as text and fails, naming file and line, wherever all the
// values of an enum stand together as a list again: a union type, an array,
// an SQL IN list. Left out: the store's migrations, released SQL that is
// never edited (check-lists.test.ts keeps their CHECK lists equal to the
// enums), and the synthetic trial's answer key (shared/synthetic/), which
// shares no code with the app on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AlignmentSourceSchema,
  AssignmentSource,
  ComparatorSchema,
  EnlargingRuleSchema,
  ErrorCode,
  ExportFormatSchema,
  ExportReadsSchema,
  FindingSchema,
  LesionStatusSchema,
  OrientationSchema,
  ReaderRoleSchema,
  ReadProblemKindSchema,
  ReadStateSchema,
  ReadStatusSchema,
  RegionSchema,
  SequenceSchema,
  SideSchema,
} from '../../shared/contract';

const root = join(import.meta.dirname, '..', '..');
const SCANNED = ['shared', 'main', 'renderer/src'];
const LEFT_OUT = ['main/store/migrations.ts', 'shared/synthetic/'];

/** Each enum, with the one file that declares it as a list. */
const ENUMS: readonly { name: string; values: readonly string[]; declaredIn: string | null }[] = [
  { name: 'region', values: RegionSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'sequence', values: SequenceSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'orientation', values: OrientationSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'side', values: SideSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'reader role', values: ReaderRoleSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'lesion status', values: LesionStatusSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'read status', values: ReadStatusSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'read state', values: ReadStateSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'read problem kind', values: ReadProblemKindSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'comparator', values: ComparatorSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'enlarging rule', values: EnlargingRuleSchema.options, declaredIn: 'shared/contract/common.ts' },
  { name: 'assignment source', values: AssignmentSource.options, declaredIn: 'shared/contract/trial.ts' },
  { name: 'alignment source', values: AlignmentSourceSchema.options, declaredIn: 'shared/contract/lesions.ts' },
  { name: 'export format', values: ExportFormatSchema.options, declaredIn: 'shared/contract/exports.ts' },
  { name: 'export reads', values: ExportReadsSchema.options, declaredIn: 'shared/contract/exports.ts' },
  { name: 'error code', values: ErrorCode.options, declaredIn: 'shared/contract/index.ts' },
  // Declared as the kinds of FindingSchema's union, one literal each: never as a list.
  { name: 'finding kind', values: FindingSchema.options.map((option) => option.shape.kind.value), declaredIn: null },
];

/** The visit-code patterns of the contract: each written once. */
const PATTERNS = ['[A-Z0-9-]{1,16}', '[A-Z0-9]{1,8}'];

interface Place {
  file: string;
  line: number;
}

/** Places where string literals follow each other with nothing but commas, bars and space between, holding every value. */
function listsOf(values: readonly string[], text: string): number[] {
  const literals = [...text.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)].map((match) => ({ value: match[1] ?? match[2]!, start: match.index, end: match.index + match[0].length }));
  const lines: number[] = [];
  let run: typeof literals = [];
  const close = () => {
    const held = new Set(run.map((literal) => literal.value));
    if (values.every((value) => held.has(value))) lines.push(text.slice(0, run[0]!.start).split('\n').length);
    run = [];
  };
  for (const literal of literals) {
    const previous = run.at(-1);
    if (previous && !/^[\s,|]*$/.test(text.slice(previous.end, literal.start))) close();
    run.push(literal);
  }
  if (run.length > 0) close();
  return lines;
}

function sourceFiles(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (LEFT_OUT.some((left) => path === left || path.startsWith(left))) continue;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) found.push({ file: relative(root, join(root, path)), text: readFileSync(join(root, path), 'utf8') });
    }
  };
  for (const folder of SCANNED) walk(folder);
  return found;
}

const files = sourceFiles();

describe('one declaration per enum', () => {
  it('finds the lists a copy would be written as', () => {
    const side = ['left', 'right', 'chiasm'];
    expect(listsOf(side, "side: 'left' | 'right' | 'chiasm' | null;")).toEqual([1]);
    expect(listsOf(side, "const SIDES = [\n  'right',\n  'left',\n  'chiasm',\n] as const;")).toEqual([2]);
    expect(listsOf(side, `x\nside TEXT CHECK (side IS NULL OR side IN ("left", "right", "chiasm"))`)).toEqual([2]);
    // Not a list: the values used one by one.
    expect(listsOf(side, "side === 'left' ? 'LEFT' : side === 'right' ? 'RIGHT' : 'chiasm'")).toEqual([]);
    expect(listsOf(side, "['left', 'right']")).toEqual([]);
  });

  it.each(ENUMS)('$name: written out as a list only where it is declared', ({ name, values, declaredIn }) => {
    const places: Place[] = files.flatMap(({ file, text }) => listsOf(values, text).map((line) => ({ file, line })));
    const declarations = places.filter((place) => place.file === declaredIn);
    const copies = places.filter((place) => place.file !== declaredIn);
    expect(declarations).toHaveLength(declaredIn ? 1 : 0);
    expect(copies.map((place) => `${place.file}:${place.line}`), `copies of the ${name} values`).toEqual([]);
  });

  it.each(PATTERNS)('the visit-code pattern %s is written once', (pattern) => {
    const places = files.flatMap(({ file, text }) => text.split('\n').flatMap((line, index) => (line.includes(pattern) ? [`${file}:${index + 1}`] : [])));
    expect(places).toHaveLength(1);
  });

  it('reads the whole tree it names', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((item) => item.file === 'renderer/src/trial/labels.ts')).toBe(true);
  });
});
