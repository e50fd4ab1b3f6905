// The series list says, per series, whether it can be read in three planes:
// computed in main from the stored headers of a real imported trial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesSummary } from '../../../shared/contract';
import { type TrialStore, trialStore } from '../../helpers/trial-store';

let store: TrialStore;
let listed: SeriesSummary[];
beforeAll(async () => {
  store = await trialStore();
  listed = await store.client.listSeries({});
}, 300_000);
afterAll(() => store?.ws.close());

describe('reconstructable in the series list', () => {
  it('holds for every reading series of the synthetic trial, and not for its three-plane localizer', () => {
    let checked = 0;
    for (const study of store.truth.participants[0]!.studies) {
      for (const series of study.series) {
        // The store keeps each plane of a series apart (catalog.ts stackKeyOf): the localizer is three series of one image.
        const parts = listed.filter((summary) => summary.seriesUid === series.seriesInstanceUid);
        const where = `${study.visit} ${series.description}`;
        if (series.role === 'localizer') {
          expect(parts.map((part) => part.reconstructable), where).toEqual(Array(3).fill({ ok: false, reason: 'only one image: a volume needs at least 3 slices' }));
        } else {
          expect(parts.map((part) => part.reconstructable), where).toEqual([{ ok: true }]);
        }
        checked += 1;
      }
    }
    expect(checked).toBe(4 * 5);
  });

  it('reports the 3D FLAIR as 1 mm isotropic, sagittal, with all its slices', () => {
    const flair = listed.filter((series) => series.description === 'SAG 3D FLAIR');
    expect(flair).toHaveLength(4);
    for (const series of flair) expect(series).toMatchObject({ orientation: 'sagittal', spacing: 1, instanceCount: 160, rows: 192, columns: 192, warnings: [], reconstructable: { ok: true } });
  });
});
