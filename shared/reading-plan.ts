// What a reading layout shows for one participant and region: the visit
// being read, its comparator under the charter (the previous scanned visit,
// or the baseline), and every scanned visit for the four-up layout.
import type { Comparator, Worklist } from './contract';
import type { Region } from './protocol';

export interface PlannedPane {
  visitCode: string;
  label: string;
  seriesIds: number[];
  role: 'current' | 'comparator' | 'other';
}

export interface ReadingPlan {
  current: PlannedPane;
  comparator: PlannedPane | null;
  /** Every scanned visit of the region in schedule order, for the four-up layout (at most four). */
  all: PlannedPane[];
}

type Row = Worklist['rows'][number];

export function planReading(visits: Worklist['visits'], row: Row, region: Region, visitCode: string, comparator: Comparator): ReadingPlan | null {
  const scanned = visits.flatMap((visit) => {
    const cell = row.cells.find((item) => item.visitCode === visit.code && item.region === region);
    return cell?.status === 'present' && cell.series.length > 0 ? [{ visitCode: visit.code, label: visit.label, seriesIds: cell.series.map((series) => series.seriesId) }] : [];
  });
  const at = scanned.findIndex((visit) => visit.visitCode === visitCode);
  if (at < 0) return null;
  const comparatorAt = at === 0 ? -1 : comparator === 'baseline' ? 0 : at - 1;
  const role = (index: number): PlannedPane['role'] => (index === at ? 'current' : index === comparatorAt ? 'comparator' : 'other');
  const panes = scanned.map((visit, index) => ({ ...visit, role: role(index) }));
  // Four-up: the current visit and its comparator always, then the nearest others.
  const byDistance = panes
    .map((pane, index) => ({ pane, index, rank: pane.role === 'other' ? 2 + Math.abs(index - at) : 0 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, 4)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.pane);
  return { current: panes[at]!, comparator: comparatorAt >= 0 ? panes[comparatorAt]! : null, all: byDistance };
}

/** The next (or previous) scanned cell in worklist order: region by region, then participant by participant. */
export function neighbourCell(
  worklist: Worklist,
  from: { participantId: number; region: Region; visitCode: string },
  step: 'region' | 'participant',
  direction: 1 | -1,
  regions: readonly Region[],
): { participantId: number; region: Region; visitCode: string } | null {
  const present = (row: Row, region: Region, visitCode: string) => row.cells.some((cell) => cell.region === region && cell.visitCode === visitCode && cell.status === 'present');
  const rowIndex = worklist.rows.findIndex((row) => row.participantId === from.participantId);
  if (rowIndex < 0) return null;
  if (step === 'region') {
    const row = worklist.rows[rowIndex]!;
    for (let offset = 1; offset < regions.length; offset += 1) {
      const region = regions[(regions.indexOf(from.region) + direction * offset + regions.length * offset) % regions.length]!;
      if (present(row, region, from.visitCode)) return { participantId: row.participantId, region, visitCode: from.visitCode };
    }
    return null;
  }
  for (let index = rowIndex + direction; index >= 0 && index < worklist.rows.length; index += direction) {
    const row = worklist.rows[index]!;
    if (present(row, from.region, from.visitCode)) return { participantId: row.participantId, region: from.region, visitCode: from.visitCode };
  }
  return null;
}
