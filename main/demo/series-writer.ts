// Renders and writes one series of the synthetic trial. The unit of work of
// the generator, in the calling thread or in a worker: every series has its
// own seeded noise streams, so the bytes do not depend on who writes them or
// in which order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { designParticipant, type Difficulty, type ParticipantDesign } from '../../shared/synthetic/design';
import { instanceFile, seriesFolder } from '../../shared/synthetic/naming';
import { SeriesRenderer } from '../../shared/synthetic/render';
import { STUDY_PROTOCOL } from '../../shared/synthetic/series';
import { encodeInstance, instanceAttributes, prepareSeries, seriesAttributes } from './dicom';

export interface SeriesJob {
  out: string;
  seed: string;
  difficulty: Difficulty;
  participantIndex: number;
  visitIndex: number;
  /** Index into STUDY_PROTOCOL. */
  seriesIndex: number;
}

export interface SeriesWritten {
  files: number;
  bytes: number;
}

/** Designs are pure functions of (seed, index): keep the last few rather than passing them around. */
const designs = new Map<string, ParticipantDesign>();

function design(seed: string, index: number, difficulty: Difficulty): ParticipantDesign {
  const key = `${seed}|${index}|${difficulty}`;
  let found = designs.get(key);
  if (!found) {
    found = designParticipant(seed, index, difficulty);
    if (designs.size >= 4) designs.delete(designs.keys().next().value!);
    designs.set(key, found);
  }
  return found;
}

export function writeSeries(job: SeriesJob): SeriesWritten {
  const participant = design(job.seed, job.participantIndex, job.difficulty);
  const study = participant.studies[job.visitIndex];
  const protocol = STUDY_PROTOCOL[job.seriesIndex];
  if (!study || !protocol) throw new RangeError('no such visit or series');
  mkdirSync(join(job.out, ...seriesFolder(participant, study, protocol).split('/')), { recursive: true });
  const renderer = new SeriesRenderer(job.seed, participant, job.visitIndex, protocol);
  const prepared = prepareSeries(seriesAttributes(job.seed, participant, study, protocol));
  const pixels = new Uint16Array(protocol.rows * protocol.columns);
  let bytes = 0;
  for (let instance = 0; instance < protocol.slices.length; instance += 1) {
    renderer.render(instance, pixels);
    const file = encodeInstance(prepared, instanceAttributes(job.seed, participant, study, protocol, instance), pixels);
    writeFileSync(join(job.out, ...instanceFile(participant, study, protocol, instance).split('/')), file);
    bytes += file.byteLength;
  }
  return { files: protocol.slices.length, bytes };
}
