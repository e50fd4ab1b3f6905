// A scripted reader for the end-to-end tests: moves the current pane to a
// slice and drags across a lesion's longest diameter where truth.json puts
// it, on the pane's fitted image.
import { expect } from 'vitest';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import type { Session } from './browser';

export function scriptedReader(session: Session, truth: TrialTruth, subject = '001') {
  const { page } = session;
  const pane = () => page.locator('[data-testid="reading-pane"][data-role="current"]');
  const participant = truth.participants.find((item) => item.subject === subject)!;

  async function goToSlice(index: number) {
    for (let step = 0; step < 80; step += 1) {
      const at = Number(await pane().getAttribute('data-slice-index'));
      if (at === index) return;
      await page.keyboard.press(at < index ? 'ArrowDown' : 'ArrowUp');
      await expect.poll(async () => Number(await pane().getAttribute('data-slice-index'))).not.toBe(at);
    }
    throw new Error(`could not reach slice ${index}`);
  }

  async function measure(lesion: LesionTruth, visit: string) {
    const seen = lesion.visits.find((item) => item.visit === visit)!;
    const series = participant.studies.find((study) => study.visit === visit)!.series.find((item) => item.seriesInstanceUid === seen.location.seriesInstanceUid)!;
    await goToSlice(seen.location.sliceIndex);
    const box = (await pane().boundingBox())!;
    const [rowSpacing, columnSpacing] = series.pixelSpacing;
    const scale = Math.min(box.width / (series.columns * columnSpacing), box.height / (series.rows * rowSpacing));
    const [column, row] = seen.location.continuous;
    const x = box.x + box.width / 2 + (column - (series.columns - 1) / 2) * columnSpacing * scale;
    const y = box.y + box.height / 2 + (row - (series.rows - 1) / 2) * rowSpacing * scale;
    const half = (seen.longestDiameterMm / 2) * scale;
    await page.getByTestId('measure-layer').waitFor();
    await page.mouse.move(x - half, y);
    await page.mouse.down();
    await page.mouse.move(x + half, y, { steps: 5 });
    await page.mouse.up();
  }

  const lesionCount = () => page.getByTestId('lesion').count();

  return { pane, goToSlice, measure, lesionCount, participant };
}
