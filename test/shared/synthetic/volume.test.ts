// A series rendered straight into a volume (what the detection bench reads)
// is the series the generator writes: the same pixels, and the geometry the
// DICOM files give when read the way the alignment reads them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../../main/alignment/volume';
import { writeSeries } from '../../../main/demo/series-writer';
import { designParticipant } from '../../../shared/synthetic/design';
import { instanceFile } from '../../../shared/synthetic/naming';
import { positionOrder, STUDY_PROTOCOL } from '../../../shared/synthetic/series';
import { renderVolume } from '../../../shared/synthetic/volume';
import { norm, sub } from '../../../shared/vector';
import { tempFolder } from '../../helpers/fixtures';

describe('renderVolume', () => {
  // The spine is acquired in descending order: position order differs from acquisition order there.
  it.each(['orbits', 'spine'] as const)('gives the %s series as its DICOM files hold it', (role) => {
    const seed = 'volume-check';
    const out = tempFolder();
    const participant = designParticipant(seed, 0);
    const seriesIndex = STUDY_PROTOCOL.findIndex((protocol) => protocol.role === role);
    const protocol = STUDY_PROTOCOL[seriesIndex]!;
    writeSeries({ out, seed, difficulty: 'standard', participantIndex: 0, visitIndex: 1, seriesIndex });
    const files = positionOrder(protocol).map((instance) => ({ filePath: join(out, ...instanceFile(participant, participant.studies[1]!, protocol, instance).split('/')), frame: 1 }));
    const fromFiles = readVolume(files);
    const rendered = renderVolume(seed, participant, 1, role);
    expect(rendered.dims).toEqual(fromFiles.dims);
    expect(norm(sub(rendered.origin, fromFiles.origin))).toBeLessThan(1e-3);
    rendered.axes.forEach((axis, index) => expect(norm(sub(axis, fromFiles.axes[index]!))).toBeLessThan(1e-6));
    rendered.spacing.forEach((spacing, index) => expect(spacing).toBeCloseTo(fromFiles.spacing[index]!, 4));
    expect(rendered.data).toEqual(fromFiles.data);
  });
});
