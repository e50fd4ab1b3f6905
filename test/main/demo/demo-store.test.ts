// "Open demo trial": generated once into a store of its own, organised into
// a complete participant x visit x region worklist with no manual step, and
// left again without touching the trial's store.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoPaths, DEMO_SUBJECTS } from '../../../main/demo/demo-store';
import { type Workstation, openWorkstation } from '../../../main/workstation';
import { createClient } from '../../../shared/client';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { geSeries, projectRoot, tempFolder } from '../../helpers/fixtures';

const demoWorkerFile = join(projectRoot, 'dist', 'main', 'demo-worker.js');
const open: Workstation[] = [];
afterEach(() => open.splice(0).forEach((workstation) => workstation.close()));

function workstationIn(folder: string, host = {}) {
  const workstation = openWorkstation({ dbPath: join(folder, 'trial.sqlite'), actor: 'demo-test', rendererDir: join(projectRoot, 'dist', 'renderer'), demoWorkerFile, host });
  open.push(workstation);
  return { workstation, client: createClient((name, payload) => workstation.dispatch(name, payload)) };
}

describe('the demo trial', () => {
  it('opens a complete worklist in its own store and leaves the trial store as it was', async () => {
    const folder = tempFolder();
    const { workstation, client } = workstationIn(folder);
    await client.importFolder({ folder: geSeries });
    expect(await client.workspace({})).toEqual({ demo: false });

    expect(await client.openDemoTrial({})).toEqual({ demo: true });
    expect(await client.workspace({})).toEqual({ demo: true });
    const paths = demoPaths(join(folder, 'trial.sqlite'));
    expect(workstation.db.name).toBe(paths.dbPath);
    const truth = JSON.parse(readFileSync(join(paths.trialFolder, 'truth.json'), 'utf8')) as TrialTruth;
    expect(truth.participants).toHaveLength(DEMO_SUBJECTS);

    const setup = await client.trialSetup({});
    expect(setup.participants.map((participant) => [participant.subjectCode, participant.baselineDate])).toEqual(
      truth.participants.map((participant) => {
        const date = participant.studies[0]!.studyDate;
        return [participant.subject, `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`];
      }),
    );
    expect(setup.patients.every((patient) => patient.participantId !== null)).toBe(true);

    // Every participant x visit x region has its series, suggested without a reader's correction.
    const worklist = await client.worklist({});
    expect(worklist.review).toEqual([]);
    expect(worklist.rows.map((row) => row.subjectCode)).toEqual(truth.participants.map((participant) => participant.subject));
    for (const row of worklist.rows) {
      const expected = truth.participants.find((participant) => participant.subject === row.subjectCode)!;
      for (const study of expected.studies) {
        for (const region of new Set(study.series.filter((item) => !item.ignore).map((item) => item.region))) {
          const cell = row.cells.find((item) => item.visitCode === study.visit && item.region === region);
          expect(cell?.status, `${row.subjectCode} ${study.visit} ${region}`).toBe('present');
          // The brain has its axial 2D FLAIR and its sagittal 3D FLAIR, in series order.
          expect(cell!.series.map((item) => item.description)).toEqual(study.series.filter((item) => item.region === region).map((item) => item.description));
        }
      }
    }

    // A reader chosen in the demo is nobody in the trial's store.
    const demoReader = await client.createReader({ name: 'Dr Ana Neuro', role: 'reader', secret: 'demo secret' });
    await client.chooseReader({ readerId: demoReader.id, secret: 'demo secret' });

    // The trial's store holds only what was imported into it.
    expect(await client.leaveDemoTrial({})).toEqual({ demo: false });
    expect(await client.listReaders({})).toEqual({ readers: [], current: null, locked: false });
    const added = await client.saveParticipant({ subjectCode: '101', baselineDate: '2024-01-01' });
    expect(workstation.db.prepare("SELECT actor FROM audit WHERE action = 'participant.create'").pluck().all()).toEqual(['demo-test']);
    expect((await client.trialSetup({})).participants).toEqual([added]);
    expect((await client.listSeries({})).map((series) => series.instanceCount)).toEqual([20]);
  });

  it('reuses the generated files and the demo store when opened again', async () => {
    const folder = tempFolder();
    const first = workstationIn(folder);
    await first.client.openDemoTrial({});
    const truthPath = join(demoPaths(join(folder, 'trial.sqlite')).trialFolder, 'truth.json');
    const written = statSync(truthPath).mtimeMs;
    const seriesCount = (await first.client.listSeries({})).length;
    first.workstation.close();
    open.splice(0);

    const again = workstationIn(folder);
    await again.client.openDemoTrial({});
    expect(statSync(truthPath).mtimeMs).toBe(written);
    expect((await again.client.listSeries({})).length).toBe(seriesCount);
    expect((await again.client.trialSetup({})).participants).toHaveLength(DEMO_SUBJECTS);
  });

  it('may be imported where the desktop app allows only folders chosen in its dialog', async () => {
    const folder = tempFolder();
    const { client } = workstationIn(folder, { chooseFolder: async () => null, mayImport: () => false });
    await expect(client.importFolder({ folder: geSeries })).rejects.toThrow('Choose the folder to import with the folder dialog first.');
    await client.openDemoTrial({});
    expect((await client.listSeries({})).length).toBeGreaterThan(0);
    expect(existsSync(demoPaths(join(folder, 'trial.sqlite')).dbPath)).toBe(true);
  });
});
