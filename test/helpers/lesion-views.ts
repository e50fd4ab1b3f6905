// Lesions and observations as the contract shows them, for tests of pure
// code that reads them: a plain measured observation and a lesion with no
// links, each taking what the test is about as overrides.
import type { LesionView, ObservationView } from '../../shared/contract';

export function observationView(visitCode: string, overrides: Partial<ObservationView> = {}): ObservationView {
  return {
    visitCode,
    finding: { kind: 'measured', longestDiameterMm: 5 },
    image: null,
    marks: null,
    levels: null,
    opticExtent: null,
    extent: null,
    suggestion: null,
    override: null,
    finalStatus: null,
    counted: false,
    recordedBy: 'Reader One',
    recordedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function lesionView(id: number, overrides: Partial<LesionView> = {}): LesionView {
  return { id, participantId: 1, label: `B${id}`, trackingUid: `2.25.${id}`, track: 'single', region: 'brain', side: null, splitFrom: null, mergedFrom: [], observations: [], ...overrides };
}
