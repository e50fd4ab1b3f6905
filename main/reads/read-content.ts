// What a signature covers, built from the live tables the same way at
// signing, before any change is committed, and when the store is verified.
// Fields are picked by name, never spread from a view, so that a view that
// grows a field cannot change what an old signature covers.
//
// Version 1 (the first wave) covered the read's own observations and counts.
// Version 2 adds what the reader looked at and everything the counts depend
// on: the series read, the comparator visit, every observation of the region
// at that visit (the sizes the statuses were derived from), splits and
// merges, and the subject code. Version 3 adds the track the read belongs to.
// Version 4 adds each observation's extent measured on the image (the clicked
// ends, the ruler or trace it was measured with, the measured levels, length
// or fraction, and whether the recorded levels or flags are an override and
// why), so that the exports built on them are covered too.
//
// An adjudicator's call (the final track of a double read) covers the call,
// its reason, the count it makes final and both readers' counts and counted
// lesions of the read, so that a reader's later change breaks it too.
import { type TrackCell, calledCount, countedLesions } from '../../shared/adjudication';
import type { AdjudicationCall, LesionView, MeasuredExtent, ObservationView } from '../../shared/contract';
import type { ParticipantReport } from '../lesions/lesions';
import type { TrackedRead } from './tracks';

export const CONTENT_VERSION = 4;

/** The content version of a stored signature: version 1 content carries no version field. */
export function contentVersion(content: unknown): number {
  const version = (content as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? version : 1;
}

function observationFields(observation: ObservationView, version: number) {
  const { visitCode, finding, image, marks, levels, opticExtent, extent, suggestion, override, finalStatus, counted, recordedBy, recordedAt } = observation;
  return { visitCode, finding, image, marks, levels, opticExtent, ...(version >= 4 ? { extent: extent && measuredFields(extent) } : {}), suggestion, override, finalStatus, counted, recordedBy, recordedAt };
}

function measuredFields(extent: MeasuredExtent) {
  const { ends, rulerId, lengthMm, measuredLevels, traceId, fractionOfNerve, measuredOptic, source, overrideReason } = extent;
  return { ends, rulerId, lengthMm, measuredLevels, traceId, fractionOfNerve, measuredOptic, source, overrideReason };
}

/** What the comparator visit contributes: the recorded facts, not their own statuses (which depend on earlier visits). */
function comparatorFields(lesion: LesionView, observation: ObservationView) {
  return { lesion: lesion.label, finding: observation.finding, image: observation.image, marks: observation.marks };
}

export function readContent(report: ParticipantReport, key: TrackedRead, version: number = CONTENT_VERSION): Record<string, unknown> {
  const inRegion = report.views.filter((lesion) => lesion.region === key.region);
  const at = (lesion: LesionView, visitCode: string | null) => lesion.observations.find((observation) => observation.visitCode === visitCode);
  const counts = report.cells.find((cell) => cell.visitCode === key.visitCode && cell.region === key.region) ?? null;
  const base = { participantId: key.participantId, visitCode: key.visitCode, region: key.region, charter: report.charter, counts };
  if (version === 1) {
    return { ...base, lesions: inRegion.flatMap((lesion) => (at(lesion, key.visitCode) ? [{ lesion: lesion.label, side: lesion.side, ...observationFields(at(lesion, key.visitCode)!, version) }] : [])) };
  }
  const comparatorVisit = report.comparatorOf(key.visitCode, key.region);
  // Splits and merges up to this visit are part of this read; later ones are not.
  const order = (visitCode: string) => report.slots.find((slot) => slot.code === visitCode)?.order ?? Number.POSITIVE_INFINITY;
  const byNow = (event: { atVisit: string }) => order(event.atVisit) <= order(key.visitCode);
  return {
    ...base,
    version,
    ...(version >= 3 ? { track: key.track } : {}),
    subjectCode: report.subjectCode,
    series: report.seriesOf(key.visitCode, key.region),
    comparatorVisit,
    lesions: inRegion.flatMap((lesion) => {
      const observation = at(lesion, key.visitCode);
      if (!observation) return [];
      const lineage = { splitFrom: lesion.splitFrom && byNow(lesion.splitFrom) ? lesion.splitFrom : null, mergedFrom: lesion.mergedFrom.filter(byNow) };
      return [{ lesion: lesion.label, side: lesion.side, ...lineage, ...observationFields(observation, version) }];
    }),
    comparator: inRegion.flatMap((lesion) => {
      const observation = at(lesion, comparatorVisit);
      return observation ? [comparatorFields(lesion, observation)] : [];
    }),
  };
}

/** A call and its reason, as a signed call's content keeps them (the rest of it is rebuilt from the readers' tracks). */
export interface CallTerms {
  call: AdjudicationCall;
  reason: string;
}

export function callContent(reports: { reader1: ParticipantReport; reader2: ParticipantReport }, key: TrackedRead, { call, reason }: CallTerms): Record<string, unknown> {
  const read = { visitCode: key.visitCode, region: key.region };
  const [cells1, cells2] = [trackCells(reports.reader1), trackCells(reports.reader2)];
  const cellOf = (cells: typeof cells1) => cells.find((cell) => cell.visitCode === key.visitCode && cell.region === key.region) ?? null;
  return {
    participantId: key.participantId,
    visitCode: key.visitCode,
    region: key.region,
    version: CONTENT_VERSION,
    track: key.track,
    subjectCode: reports.reader1.subjectCode,
    charter: reports.reader1.charter,
    call,
    reason,
    counts: calledCount(call, read, cells1, cells2),
    readers: { reader1: cellOf(cells1), reader2: cellOf(cells2) },
  };
}

/** The call and reason a signed call's stored content holds. */
export function callTermsOf(content: string): CallTerms {
  const { call, reason } = JSON.parse(content) as CallTerms;
  return { call, reason };
}

/** A track's reads as the rule compares them: each read's count and its counted lesions with their marked centres. */
export function trackCells(report: ParticipantReport): TrackCell[] {
  return report.cells.map((cell) => ({
    visitCode: cell.visitCode,
    region: cell.region,
    new: cell.new,
    enlarging: cell.enlarging,
    newOrEnlarging: cell.newOrEnlarging,
    counted: countedLesions(report.views, cell),
  }));
}
