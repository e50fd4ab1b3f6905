import { describe, expect, it } from 'vitest';
import { ReadStateSchema, ReadStatusSchema, type ReadProblemKind, type ReadStatus } from '../../shared/contract';
import { type ReadFacts, type ReadFilter, matchesFilter, nextBlindedRead, nextRead, readState } from '../../shared/read-state';

const facts = (status: ReadStatus, problems: ReadProblemKind[] = [], placement: ReadFacts['placement'] = 'present'): ReadFacts => ({ placement, status, problems });
const PLACEMENTS: ReadFacts['placement'][] = ['present', 'missing', 'review'];
const PROBLEM_SETS: ReadProblemKind[][] = [[], ['comparator_unsigned'], ['unassessed'], ['no_images'], ['comparator_unsigned', 'unassessed']];

describe('readState', () => {
  it('calls a read with a signature in force signed, amended too, whatever else is true of it', () => {
    for (const status of ['signed', 'amended'] as const) {
      for (const placement of PLACEMENTS) for (const problems of PROBLEM_SETS) expect(readState(facts(status, problems, placement))).toBe('signed');
    }
  });

  it('calls a cell whose images wait for a placement decision needs_decision, unless it is signed', () => {
    for (const status of ['not_started', 'in_progress', 'unlocked'] as const) expect(readState(facts(status, [], 'review'))).toBe('needs_decision');
  });

  it('tells a missing read (no images, nothing recorded) from one not started (images, nothing recorded)', () => {
    expect(readState(facts('not_started', [], 'missing'))).toBe('missing');
    expect(readState(facts('not_started', ['no_images'], 'missing'))).toBe('missing');
    expect(readState(facts('not_started', [], 'present'))).toBe('not_started');
    // Lesions known earlier and an unsigned comparator are the work still to do, not a decision.
    expect(readState(facts('not_started', ['comparator_unsigned', 'unassessed'], 'present'))).toBe('not_started');
  });

  it('puts a read with work recorded, or unlocked, by what its readiness says', () => {
    for (const status of ['in_progress', 'unlocked'] as const) {
      expect(readState(facts(status, []))).toBe('awaiting_signature');
      expect(readState(facts(status, ['comparator_unsigned']))).toBe('in_progress');
      expect(readState(facts(status, ['unassessed']))).toBe('needs_decision');
      expect(readState(facts(status, ['comparator_unsigned', 'unassessed']))).toBe('needs_decision');
      // Work recorded where the images have gone (reassigned): the reader has to see to it.
      expect(readState(facts(status, ['no_images'], 'missing'))).toBe('needs_decision');
    }
  });

  it('gives every combination a state, and reaches every state', () => {
    const reached = new Set(ReadStatusSchema.options.flatMap((status) => PLACEMENTS.flatMap((placement) => PROBLEM_SETS.map((problems) => readState(facts(status, problems, placement))))));
    expect([...reached].sort()).toEqual([...ReadStateSchema.options].sort());
  });
});

describe('matchesFilter', () => {
  const cell = { readState: 'in_progress' as const, reader: 'Ann' };
  it('lets everything through with no filter', () => {
    expect(matchesFilter(cell, { state: null, reader: null })).toBe(true);
    expect(matchesFilter({ readState: 'missing', reader: null }, { state: null, reader: null })).toBe(true);
  });
  it('filters by state, by reader, and by both together', () => {
    expect(matchesFilter(cell, { state: 'in_progress', reader: null })).toBe(true);
    expect(matchesFilter(cell, { state: 'signed', reader: null })).toBe(false);
    expect(matchesFilter(cell, { state: null, reader: 'Ann' })).toBe(true);
    expect(matchesFilter(cell, { state: null, reader: 'Bob' })).toBe(false);
    expect(matchesFilter({ readState: 'not_started', reader: null }, { state: null, reader: 'Ann' })).toBe(false);
    expect(matchesFilter(cell, { state: 'in_progress', reader: 'Ann' })).toBe(true);
    expect(matchesFilter(cell, { state: 'in_progress', reader: 'Bob' })).toBe(false);
    expect(matchesFilter(cell, { state: 'signed', reader: 'Ann' })).toBe(false);
  });
});

describe('nextRead', () => {
  type Cell = { id: string; status: ReadFacts['placement']; readState: ReturnType<typeof readState>; reader: string | null };
  const cell = (id: string, status: Cell['status'], state: Cell['readState'], reader: string | null = null): Cell => ({ id, status, readState: state, reader });
  const rows = [
    { subject: '001', cells: [cell('001-W0-B', 'present', 'signed', 'Ann'), cell('001-W0-S', 'missing', 'missing'), cell('001-W0-O', 'review', 'needs_decision')] },
    { subject: '002', cells: [cell('002-W0-B', 'present', 'signed', 'Ann'), cell('002-W0-S', 'present', 'in_progress', 'Bob'), cell('002-W12-B', 'present', 'not_started')] },
    { subject: '003', cells: [cell('003-W0-B', 'present', 'awaiting_signature', 'Ann'), cell('003-W0-S', 'present', 'needs_decision', 'Ann')] },
  ];
  const open = (filter: ReadFilter) => nextRead(rows, filter)?.cell.id ?? null;

  it('opens the first read in row, visit and region order that has images and is not signed', () => {
    // 001 has only a signed read, a missing one and images waiting for a placement (no read to open).
    expect(open({ state: null, reader: null })).toBe('002-W0-S');
    expect(nextRead(rows, { state: null, reader: null })?.row.subject).toBe('002');
  });

  it('respects the filters', () => {
    expect(open({ state: 'not_started', reader: null })).toBe('002-W12-B');
    expect(open({ state: null, reader: 'Ann' })).toBe('003-W0-B');
    expect(open({ state: 'needs_decision', reader: null })).toBe('003-W0-S');
    expect(open({ state: 'needs_decision', reader: 'Bob' })).toBeNull();
    // Signed and missing reads are never next, even when the filter asks for them.
    expect(open({ state: 'signed', reader: null })).toBeNull();
    expect(open({ state: 'missing', reader: null })).toBeNull();
  });

  it('has nothing to open in an empty worklist', () => {
    expect(nextRead([], { state: null, reader: null })).toBeNull();
  });
});

describe('nextBlindedRead', () => {
  const visits = [{ code: 'SCAN1' }, { code: 'SCAN2' }, { code: 'SCAN3' }];
  type Cell = { visitCode: string; region: string; status: ReadFacts['placement']; readState: 'signed' | 'not_started' | 'missing' };
  const cell = (visitCode: string, readState: Cell['readState'], region = 'brain'): Cell => ({ visitCode, region, status: readState === 'missing' ? 'missing' : 'present', readState });
  const read = (visitCode: string, participantId = 1, region = 'brain') => ({ participantId, visitCode, region });

  it('follows the seeded order, skipping signed reads and reads whose prior scan is not signed yet', () => {
    const worklist = { visits, rows: [{ participantId: 1, cells: [cell('SCAN1', 'signed'), cell('SCAN2', 'not_started'), cell('SCAN3', 'not_started')] }], readOrder: [read('SCAN3'), read('SCAN1'), read('SCAN2')] };
    expect(nextBlindedRead(worklist)).toEqual(read('SCAN2'));
  });

  it('passes over a scan without images to the one before it', () => {
    const worklist = { visits, rows: [{ participantId: 1, cells: [cell('SCAN1', 'signed'), cell('SCAN2', 'missing'), cell('SCAN3', 'not_started')] }], readOrder: [read('SCAN3')] };
    expect(nextBlindedRead(worklist)).toEqual(read('SCAN3'));
  });

  it('gives the first open read when none is ready, and null when every read is signed or there is no order', () => {
    const waiting = { visits, rows: [{ participantId: 1, cells: [cell('SCAN1', 'not_started'), cell('SCAN2', 'not_started')] }], readOrder: [read('SCAN2')] };
    expect(nextBlindedRead(waiting)).toEqual(read('SCAN2'));
    const done = { visits, rows: [{ participantId: 1, cells: [cell('SCAN1', 'signed')] }], readOrder: [read('SCAN1')] };
    expect(nextBlindedRead(done)).toBeNull();
    expect(nextBlindedRead({ ...done, readOrder: null })).toBeNull();
  });

  it('keeps participants and regions apart', () => {
    const worklist = {
      visits,
      rows: [
        { participantId: 1, cells: [cell('SCAN1', 'not_started'), cell('SCAN1', 'signed', 'spinal_cord'), cell('SCAN2', 'not_started', 'spinal_cord')] },
        { participantId: 2, cells: [cell('SCAN1', 'signed'), cell('SCAN2', 'not_started')] },
      ],
      readOrder: [read('SCAN2', 1, 'brain'), read('SCAN2', 2), read('SCAN2', 1, 'spinal_cord')],
    };
    // 1's brain waits for its first scan to be signed; 2's SCAN2 waits for nothing.
    expect(nextBlindedRead(worklist)).toEqual(read('SCAN2', 2));
  });
});
