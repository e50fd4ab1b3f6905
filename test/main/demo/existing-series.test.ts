// The 2D series of a seed never change when the protocol grows: the files of
// the localizer, brain, orbit and spine series of one participant, hashed on
// main before the 3D FLAIR was added, must hash the same now.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSeries } from '../../../main/demo/series-writer';
import { designParticipant, VISITS } from '../../../shared/synthetic/design';
import { instanceFile } from '../../../shared/synthetic/naming';
import { protocolFor, STUDY_PROTOCOL, type SeriesRole } from '../../../shared/synthetic/series';

const SEED = 'bytes-unchanged';
const PARTICIPANT = 1;

/** sha256 over every instance file of a series, in instance order, per visit (recorded on main at 3e0c5e7). */
const RECORDED: Record<string, Record<string, string>> = {
  localizer: {
    W0: 'cc0c6095e533d62de2b1fae9a7a47cf6031ce8df54fd46a1a8f6a6e8aa5a304f',
    W12: '9b52205e1eb982339c1f818a32e93218c9aad6f53560ac0e2ae9fe7dbadc7cda',
    W24: 'f15e02b02191b88f3cf241d9ad2d0a4ce6e4cdcc26d4336128e8b1b125e30e78',
    W52: '1464eaa1b32458c0ca211da66388f1750a9166823f629867d2cd322e929b45dd',
  },
  brain: {
    W0: '0da5aff525794097bffddbbfe37c06fde8b03c52948195a8b648c814cf2c0bfb',
    W12: '0a00042157c5e75d2b03a02bea5ab21bded9de1cd5ac9bcaa9f851a32c016fd7',
    W24: 'e1d661adc4fef1daed89d934de8ed48d18e731c47f05fdc118aa5467fe1bbbc3',
    W52: '22d29926561455653f82e30a69aeecb05721dba02e76110aac1d5cac037ef453',
  },
  orbits: {
    W0: '7826f582ce15d9f6e8c57f3d9d7fa82a0d3687980d6a294833472ec0fa6f15c5',
    W12: 'cee58a8b90df4cfe35cc322d497af8cc1cb6d272ca4c099ab2f13a4278263f09',
    W24: 'ce25efe81789628116e462425ce1d1eeeccb518b328067e77ec39f9ba9646af1',
    W52: '4772ded0eb960dcae9177ad9a6c9cdba000a50cd081041cc2d894c9349ab91c6',
  },
  spine: {
    W0: '0ebea45b3a3acb34fb29fe676747ccd4ec224d11e91c661d3508df6b8aa40ff1',
    W12: '60de1508afd39344f60d7667aadcd982187da617023ca229ea41154d67dbcc45',
    W24: '0bcb488807c403d57f2ec86cb779eb67a2213f6de362f45200da7ed31077c79e',
    W52: 'c352d2fa048c038ade0cc43ebb45fbef672b1f2a5bc30b7a9ee7c679d1257923',
  },
};

const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-bytes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function seriesHash(role: SeriesRole, visitIndex: number): string {
  const protocol = protocolFor(role);
  writeSeries({ out: scratch, seed: SEED, difficulty: 'standard', participantIndex: PARTICIPANT, visitIndex, seriesIndex: STUDY_PROTOCOL.indexOf(protocol) });
  const participant = designParticipant(SEED, PARTICIPANT);
  const study = participant.studies[visitIndex]!;
  const hash = createHash('sha256');
  for (let instance = 0; instance < protocol.slices.length; instance += 1) hash.update(readFileSync(join(scratch, instanceFile(participant, study, protocol, instance))));
  return hash.digest('hex');
}

describe('the 2D series of an existing seed', () => {
  it.each(['localizer', 'brain', 'orbits', 'spine'] as const)('%s: the same bytes at every visit as before the 3D series', (role) => {
    const hashes = Object.fromEntries(VISITS.map((visit, visitIndex) => [visit.code, seriesHash(role, visitIndex)]));
    expect(hashes).toEqual(RECORDED[role]);
  });
});
