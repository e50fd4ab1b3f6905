// Names of everything the generator writes: DICOM UIDs (derived from the
// seed, so stable for a seed and distinct between seeds), accession numbers,
// and the folder layout. Shared by the writer and the truth file, so the
// truth always names exactly what was written.
import type { ParticipantDesign, StudyDesign } from './design';
import { uidFromName } from './random';
import type { SeriesProtocol } from './series';

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const IMPLEMENTATION_CLASS_UID = uidFromName('lesiontrack synthetic trial generator');
export const IMPLEMENTATION_VERSION_NAME = 'LESIONTRACK_SYN';

function studyKey(seed: string, participant: ParticipantDesign, study: StudyDesign): string {
  return `${seed}|${participant.subject}|${study.visit}`;
}

export function studyUid(seed: string, participant: ParticipantDesign, study: StudyDesign): string {
  return uidFromName(`${studyKey(seed, participant, study)}|study`);
}

export function frameOfReferenceUid(seed: string, participant: ParticipantDesign, study: StudyDesign): string {
  return uidFromName(`${studyKey(seed, participant, study)}|frame of reference`);
}

export function seriesUid(seed: string, participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol): string {
  return uidFromName(`${studyKey(seed, participant, study)}|${protocol.role}|series`);
}

/** The SOP Instance UID of the slice at acquisition index `instanceIndex` (InstanceNumber - 1). */
export function instanceUid(seed: string, participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol, instanceIndex: number): string {
  return uidFromName(`${studyKey(seed, participant, study)}|${protocol.role}|instance ${instanceIndex + 1}`);
}

export function accessionNumber(participant: ParticipantDesign, study: StudyDesign): string {
  return `SYN${participant.subject}${study.visit}`;
}

/** Folder of a participant, relative to the output folder (POSIX separators). */
export function participantFolder(participant: ParticipantDesign): string {
  return participant.patientId;
}

/** Folder of a study: named by date, as a PACS export would, not by visit (mapping visits is the app's job). */
export function studyFolder(participant: ParticipantDesign, study: StudyDesign): string {
  return `${participantFolder(participant)}/MR_${study.date}`;
}

export function seriesFolder(participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol): string {
  const name = protocol.description.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `${studyFolder(participant, study)}/S${String(protocol.seriesNumber).padStart(3, '0')}_${name}`;
}

export function instanceFile(participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol, instanceIndex: number): string {
  return `${seriesFolder(participant, study, protocol)}/IM${String(instanceIndex + 1).padStart(4, '0')}.dcm`;
}
