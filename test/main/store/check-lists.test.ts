// Every CHECK (column IN (...)) list of the store equals the enum the app
// declares for that column, so a value added to an enum without a migration
// that allows it (or a migration that allows a value the app does not know)
// fails here. The lists are read from the schema a new store ends with,
// after every migration: a later migration that rebuilds a table is what
// counts, and released migrations are never edited to match.
import { afterAll, describe, expect, it } from 'vitest';
import {
  AlignmentSourceSchema,
  CandidateStatus,
  FindingSchema,
  LesionStatusSchema,
  ReaderRoleSchema,
  RegionSchema,
  SequenceSchema,
  SideSchema,
  TrackSchema,
  TracedSideSchema,
} from '../../../shared/contract';
import { READER_TRACKS } from '../../../main/reads/tracks';
import { IMPORT_PROBLEM_KINDS } from '../../../main/dicom/importer';
import { STORED_STATES } from '../../../main/derived/results';
import { openDatabase } from '../../../main/store/database';

const findingKinds = FindingSchema.options.map((option) => option.shape.kind.value);

/** Each table.column with a CHECK list, and the values the app declares for it. */
const DECLARED: Readonly<Record<string, readonly string[]>> = {
  // The one list that is no contract enum: the importer's own record of a refused file.
  'import_problems.kind': IMPORT_PROBLEM_KINDS,
  'series_decisions.region': RegionSchema.options,
  'series_decisions.sequence': SequenceSchema.options,
  'lesions.region': RegionSchema.options,
  'lesions.side': SideSchema.options,
  'observations.kind': findingKinds,
  'observations.status_override': LesionStatusSchema.options,
  'readers.role': ReaderRoleSchema.options,
  'signatures.region': RegionSchema.options,
  'lesions.track': TrackSchema.options,
  'signatures.track': TrackSchema.options,
  'reader_tracks.track': READER_TRACKS,
  'reader_layouts.region': RegionSchema.options,
  'series_alignments.source': AlignmentSourceSchema.options,
  'subtraction_results.state': STORED_STATES,
  'candidate_reviews.track': TrackSchema.options,
  'candidate_reviews.region': RegionSchema.options,
  // A review's decision is the status it gives a candidate.
  'candidate_reviews.decision': CandidateStatus.exclude(['unreviewed', 'marked']).options,
  'vertebral_rulers.track': TrackSchema.options,
  'nerve_traces.track': TrackSchema.options,
  'nerve_traces.side': TracedSideSchema.options,
};

/** Every `column IN ('a', 'b')` of each table's SQL, as "table.column" -> values. */
function checkLists(tables: readonly { name: string; sql: string }[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const { name, sql } of tables) {
    for (const [, column, values] of sql.matchAll(/(\w+)\s+IN\s*\(([^()]*)\)/gi)) {
      const key = `${name}.${column!}`;
      if (lists.has(key)) throw new Error(`${key} has two IN lists: this test reads one per column`);
      lists.set(key, [...values!.matchAll(/'([^']*)'/g)].map((match) => match[1]!));
    }
  }
  return lists;
}

const db = openDatabase(':memory:');
afterAll(() => db.close());
const schema = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL").all();

describe('the CHECK lists of the store', () => {
  it('are found where the schema has them', () => {
    expect([...checkLists(schema).keys()].sort()).toEqual(Object.keys(DECLARED).sort());
  });

  it.each(Object.entries(DECLARED))('%s allows exactly the values the app declares', (column, declared) => {
    expect(checkLists(schema).get(column)?.slice().sort()).toEqual([...declared].sort());
  });

  it('are read from the SQL as written, a NULL allowance or not', () => {
    const lists = checkLists([{ name: 't', sql: "CREATE TABLE t (a TEXT CHECK (a IS NULL OR a IN ('x', 'y')), b TEXT NOT NULL CHECK (b IN ('z')))" }]);
    expect(Object.fromEntries(lists)).toEqual({ 't.a': ['x', 'y'], 't.b': ['z'] });
  });
});
