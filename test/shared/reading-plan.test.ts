import { describe, expect, it } from 'vitest';
import type { Worklist } from '../../shared/contract';
import { REGIONS } from '../../shared/protocol';
import { neighbourCell, planReading } from '../../shared/reading-plan';

const visits = ['W0', 'W12', 'W24', 'W52', 'UNS-20250101'].map((code) => ({ code, label: code }));

function row(participantId: number, scanned: Record<string, string[]>): Worklist['rows'][number] {
  return {
    participantId,
    subjectCode: String(participantId).padStart(3, '0'),
    cells: visits.flatMap((visit) =>
      REGIONS.map((region) => {
        const present = scanned[region]?.includes(visit.code) ?? false;
        return { visitCode: visit.code, region, status: present ? ('present' as const) : ('missing' as const), readStatus: 'not_started' as const, readState: present ? ('not_started' as const) : ('missing' as const), reader: null, changedAt: null, newOrEnlarging: null, problems: [], tracks: null, series: present ? [{ seriesId: participantId * 1000 + visits.indexOf(visit) * 10 + REGIONS.indexOf(region), description: '', sequence: 'T2' as const, source: 'suggested' as const }] : [] };
      }),
    ),
  };
}

const everything = { brain: ['W0', 'W12', 'W24', 'W52'], spinal_cord: ['W0', 'W12', 'W24', 'W52'], optic_nerve: ['W0', 'W24'] };

describe('planReading', () => {
  it('pairs a visit with the previous scan by default and the baseline when the charter says so', () => {
    const plan = planReading(visits, row(1, everything), 'brain', 'W24', 'previous')!;
    expect([plan.current.visitCode, plan.comparator?.visitCode]).toEqual(['W24', 'W12']);
    expect(planReading(visits, row(1, everything), 'brain', 'W24', 'baseline')!.comparator?.visitCode).toBe('W0');
  });

  it('skips a visit without a scan of the region when looking for the previous one', () => {
    expect(planReading(visits, row(1, everything), 'optic_nerve', 'W24', 'previous')!.comparator?.visitCode).toBe('W0');
  });

  it('gives the baseline no comparator, and nothing for an unscanned visit', () => {
    expect(planReading(visits, row(1, everything), 'brain', 'W0', 'previous')!.comparator).toBeNull();
    expect(planReading(visits, row(1, everything), 'optic_nerve', 'W12', 'previous')).toBeNull();
  });

  it('fills four panes with the current visit, its comparator and the nearest others, in visit order', () => {
    const scanned = { brain: ['W0', 'W12', 'W24', 'W52', 'UNS-20250101'] };
    const plan = planReading(visits, row(1, scanned), 'brain', 'W52', 'baseline')!;
    expect(plan.all.map((pane) => [pane.visitCode, pane.role])).toEqual([
      ['W0', 'comparator'],
      ['W24', 'other'],
      ['W52', 'current'],
      ['UNS-20250101', 'other'],
    ]);
  });
});

describe('neighbourCell', () => {
  const worklist: Worklist = { visits, rows: [row(1, everything), row(2, { brain: ['W12'] }), row(3, everything)], review: [], readOrder: null };

  it('moves to the next and previous region with a scan at the same visit, wrapping around', () => {
    expect(neighbourCell(worklist, { participantId: 1, region: 'brain', visitCode: 'W12' }, 'region', 1, REGIONS)).toEqual({ participantId: 1, region: 'spinal_cord', visitCode: 'W12' });
    expect(neighbourCell(worklist, { participantId: 1, region: 'spinal_cord', visitCode: 'W12' }, 'region', 1, REGIONS)).toEqual({ participantId: 1, region: 'brain', visitCode: 'W12' });
    expect(neighbourCell(worklist, { participantId: 1, region: 'brain', visitCode: 'W24' }, 'region', -1, REGIONS)).toEqual({ participantId: 1, region: 'optic_nerve', visitCode: 'W24' });
  });

  it('moves to the next participant with the same region and visit, and stops at the ends', () => {
    expect(neighbourCell(worklist, { participantId: 1, region: 'spinal_cord', visitCode: 'W12' }, 'participant', 1, REGIONS)).toEqual({ participantId: 3, region: 'spinal_cord', visitCode: 'W12' });
    expect(neighbourCell(worklist, { participantId: 1, region: 'brain', visitCode: 'W12' }, 'participant', -1, REGIONS)).toBeNull();
    expect(neighbourCell(worklist, { participantId: 9, region: 'brain', visitCode: 'W12' }, 'participant', 1, REGIONS)).toBeNull();
  });
});
