import { describe, expect, it } from 'vitest';
import { CONTRASTS, CSF, headSignal, LEVELS, levelAt, spineModel, WM } from '../../../shared/synthetic/anatomy';
import { DEFAULT_CHARTER_RULES, type CharterRules, type Comparator } from '../../../shared/synthetic/charter';
import { ambiguity, designParticipant, designTrial, VISITS } from '../../../shared/synthetic/design';
import { statusesOf, type LesionStatus } from '../../../shared/synthetic/oracle';
import { uidFromName } from '../../../shared/synthetic/random';
import { participantTruth, trialTruth, type LesionTruth, type ParticipantTruth } from '../../../shared/synthetic/truth';

const rules = DEFAULT_CHARTER_RULES;

function truthOf(seed: string, index: number): ParticipantTruth {
  return participantTruth(seed, designParticipant(seed, index));
}

function previous(lesion: LesionTruth): LesionStatus[] {
  return lesion.visits.map((visit) => visit.status.previous);
}

/** What the design says a lesion does, as statuses against the previous scan. */
function intended(story: string): LesionStatus[] {
  const at = (code: string) => VISITS.findIndex((visit) => visit.code === code);
  const statuses: LesionStatus[] = VISITS.map(() => 'absent');
  const newAt = /new at (W\d+)/.exec(story);
  const onset = newAt ? at(newAt[1]!) : 0;
  const change = /(enlarging|shrinking|resolved) at (W\d+)/.exec(story);
  for (let visit = onset; visit < VISITS.length; visit += 1) statuses[visit] = visit === 0 ? 'baseline' : visit === onset ? 'new' : 'stable';
  if (change) {
    const index = at(change[2]!);
    statuses[index] = change[1] === 'enlarging' ? 'enlarging' : change[1] === 'shrinking' ? 'shrinking' : 'resolved';
    if (change[1] === 'resolved') for (let visit = index + 1; visit < VISITS.length; visit += 1) statuses[visit] = 'absent';
  }
  return statuses;
}

describe('participant 001 shows every case DOMAIN.md names', () => {
  for (const seed of ['1', 'seven', '20240101']) {
    it(`with seed ${seed}`, () => {
      const truth = truthOf(seed, 0);
      const brain = truth.lesions.filter((lesion) => lesion.region === 'brain');
      const cord = truth.lesions.filter((lesion) => lesion.region === 'spinal_cord');
      const optic = truth.lesions.filter((lesion) => lesion.region === 'optic_nerve');
      // Stable, new at 12 then enlarging at 24, shrinking, resolved, new, enlarging from baseline.
      expect(brain.some((lesion) => previous(lesion).join() === 'baseline,stable,stable,stable')).toBe(true);
      expect(brain.some((lesion) => previous(lesion).join() === 'absent,new,enlarging,stable')).toBe(true);
      expect(brain.some((lesion) => previous(lesion).includes('shrinking'))).toBe(true);
      expect(brain.some((lesion) => previous(lesion).includes('resolved'))).toBe(true);
      expect(brain.some((lesion) => previous(lesion).join() === 'absent,absent,absent,new')).toBe(true);
      expect(brain.some((lesion) => previous(lesion).join() === 'baseline,stable,stable,enlarging')).toBe(true);
      // A longitudinally extensive cord lesion with its levels, and a cord lesion that becomes one.
      const letm = cord.find((lesion) => lesion.visits[0]!.present && lesion.visits[0]!.cord!.longitudinallyExtensive)!;
      expect(letm.visits[0]!.cord!.segments).toBeGreaterThanOrEqual(3);
      expect(LEVELS).toContain(letm.visits[0]!.cord!.upperLevel);
      const growing = cord.find((lesion) => previous(lesion).join() === 'absent,new,enlarging,stable')!;
      expect(growing.visits[1]!.cord!.longitudinallyExtensive).toBe(false);
      expect(growing.visits[2]!.cord!.longitudinallyExtensive).toBe(true);
      // Optic nerve: side, more than half the length, chiasm involvement.
      expect(optic.some((lesion) => lesion.visits[3]!.optic!.moreThanHalfLength && !lesion.visits[3]!.optic!.involvesChiasm)).toBe(true);
      expect(optic.some((lesion) => lesion.visits[3]!.optic!.involvesChiasm)).toBe(true);
      expect(new Set(optic.map((lesion) => lesion.visits[3]!.optic!.side))).toEqual(new Set(['left', 'right']));
    });
  }

  it('has the hand-checked counts for both comparators', () => {
    for (const seed of ['1', 'seven']) {
      const truth = truthOf(seed, 0);
      const cell = (comparator: Comparator, visit: string, region: string) => {
        const row = truth.counts[comparator].find((entry) => entry.visit === visit && entry.region === region)!;
        return [row.new, row.enlarging, row.newOrEnlarging];
      };
      // Previous scan: W12 brain new (B), cord new (C), optic new (O-right); W24 B and C enlarge; W52 B new + B enlarging, O-chiasm new.
      expect(cell('previous', 'W12', 'brain')).toEqual([1, 0, 1]);
      expect(cell('previous', 'W12', 'spinal_cord')).toEqual([1, 0, 1]);
      expect(cell('previous', 'W12', 'optic_nerve')).toEqual([1, 0, 1]);
      expect(cell('previous', 'W24', 'brain')).toEqual([0, 1, 1]);
      expect(cell('previous', 'W24', 'spinal_cord')).toEqual([0, 1, 1]);
      expect(cell('previous', 'W24', 'optic_nerve')).toEqual([0, 0, 0]);
      expect(cell('previous', 'W52', 'brain')).toEqual([1, 1, 2]);
      expect(cell('previous', 'W52', 'spinal_cord')).toEqual([0, 0, 0]);
      expect(cell('previous', 'W52', 'optic_nerve')).toEqual([1, 0, 1]);
      expect(truth.endpoint.previous).toBe(8);
      // Baseline: whatever was absent at baseline is new at every visit after it appears.
      expect(cell('baseline', 'W24', 'brain')).toEqual([1, 0, 1]);
      expect(cell('baseline', 'W52', 'brain')).toEqual([2, 1, 3]);
      expect(cell('baseline', 'W52', 'spinal_cord')).toEqual([1, 0, 1]);
      expect(cell('baseline', 'W52', 'optic_nerve')).toEqual([2, 0, 2]);
      expect(truth.endpoint.baseline).toBe(12);
    }
  });
});

/**
 * The default rules with every threshold moved a little each way (relative rule ±0.1, absolute rule and
 * minimum size ±0.5 mm), under both ways of combining the enlarging rules: 54 charters near the default.
 */
function charterNeighbours(): CharterRules[] {
  const neighbours: CharterRules[] = [];
  for (const combine of ['both', 'either'] as const) {
    for (const relative of [-0.1, 0, 0.1]) {
      for (const millimetres of [-0.5, 0, 0.5]) {
        for (const minimum of [-0.5, 0, 0.5]) {
          neighbours.push({
            ...rules,
            minLesionSizeMm: rules.minLesionSizeMm + minimum,
            enlarging: { minRelativeIncrease: rules.enlarging.minRelativeIncrease + relative, minAbsoluteIncreaseMm: rules.enlarging.minAbsoluteIncreaseMm + millimetres, combine },
          });
        }
      }
    }
  }
  return neighbours;
}

describe('every designed lesion is unambiguous', () => {
  const participants = ['1', 'x'].flatMap((seed) => Array.from({ length: 25 }, (_, index) => ({ seed, truth: truthOf(seed, index) })));

  it('sizes are clear of every threshold: the oracle reads them as designed under every charter near the default', () => {
    const neighbours = charterNeighbours();
    let lesions = 0;
    const scenarios = new Set<string>();
    for (const { truth } of participants) {
      for (const lesion of truth.lesions) {
        lesions += 1;
        scenarios.add(lesion.scenario);
        const sizes = lesion.visits.map((visit) => visit.longestDiameterMm);
        expect(previous(lesion), `${lesion.id}: ${lesion.story}`).toEqual(intended(lesion.story));
        for (const comparator of ['previous', 'baseline'] as const) {
          const statuses = statusesOf(sizes, comparator, rules);
          for (const neighbour of neighbours) expect(statusesOf(sizes, comparator, neighbour), `${lesion.id} ${sizes.join(' ')} mm (${comparator}) ${JSON.stringify(neighbour.enlarging)}`).toEqual(statuses);
        }
      }
    }
    expect(lesions).toBeGreaterThan(50);
    expect(scenarios).toContain('shrinking');
  });

  it('refuses designed sizes near a threshold (worked out by hand against 50% and 3 mm)', () => {
    expect(ambiguity([10, 10.5, 0, 9.6])).toBeNull(); // re-measured within 5% and 0.5 mm
    expect(ambiguity([5, 9])).toBeNull(); // 1.8x and 4 mm
    expect(ambiguity([14, 6.5])).toBeNull(); // shrunk: 14 is 2.15x and 7.5 mm above 6.5
    expect(ambiguity([10, 6.5])).toMatch(/too close to a threshold/); // 10 is 1.54x 6.5: near 1.5x
    expect(ambiguity([4.5, 8])).toMatch(/too close to a threshold/); // 1.78x but 3.5 mm: near 3 mm
    expect(ambiguity([10, 12])).toMatch(/too close to a threshold/); // 1.2x: neither stable nor grown
    expect(ambiguity([3.5, 9])).toMatch(/too close to the 3 mm minimum/);
  });

  it('cord levels, LETM and optic nerve facts are clear too', () => {
    for (const { truth } of participants) {
      for (const lesion of truth.lesions) {
        for (const visit of lesion.visits.filter((entry) => entry.present)) {
          if (visit.cord) {
            expect(visit.cord.segments).toBe(LEVELS.indexOf(visit.cord.lowerLevel) - LEVELS.indexOf(visit.cord.upperLevel) + 1);
            expect(visit.cord.longitudinallyExtensive).toBe(visit.cord.segments >= 3);
            expect(LEVELS.indexOf(visit.cord.upperLevel)).toBeGreaterThanOrEqual(1); // C2 or lower: inside the field of view
          }
          if (visit.optic) {
            const fraction = visit.optic.fractionOfNerve;
            expect(fraction <= 0.45 || fraction >= 0.55, `${lesion.id} covers ${fraction} of the nerve`).toBe(true);
            expect(visit.optic.moreThanHalfLength).toBe(fraction > 0.5);
          }
        }
      }
    }
  });

  it('lands inside the imaged volume at every visit', () => {
    for (const { truth } of participants) {
      for (const lesion of truth.lesions) {
        for (const visit of lesion.visits) {
          expect(visit.location.inside, `${lesion.id} ${visit.visit}`).toBe(true);
          // Brain lesions are on the 3D FLAIR too, and only they.
          expect(visit.location3d?.inside, `${lesion.id} ${visit.visit} 3D`).toBe(lesion.region === 'brain' ? true : undefined);
        }
      }
    }
  });
});

describe('determinism and identity', () => {
  // Seed "1" worked out by hand from the random streams the design documents; the draws come from an
  // independent implementation of cyrb128 and sfc32 (shared/synthetic/random.ts), not from the code under test.
  it('designs participant 001 of seed 1 as its streams say', () => {
    const participant = designParticipant('1', 0);
    // Stream "1|participant 0|demographics" draws 0.8582, 0.7125, 0.7844, 0.3031:
    // born 1962 + ⌊0.8582 × 37⌋ = 1993, month ⌊0.7125 × 12⌋ = 8 (September), day 1 + ⌊0.7844 × 28⌋ = 22; 0.3031 < 0.85: female.
    expect([participant.birthDate, participant.sex]).toEqual(['19930922', 'F']);
    // Stream "1|participant 0|schedule" draws 0.7918 first: baseline ⌊0.7918 × 7⌋ = 5 days after 2023-04-03.
    expect(participant.studies[0]!.date).toBe('20230408');
    expect(participant.studies.map((study) => study.visit)).toEqual(['W0', 'W12', 'W24', 'W52']);
  });

  it('designs another trial from another seed', () => {
    const a = designTrial('1', 3);
    const b = designTrial('2', 3);
    const centres = (trial: typeof a) => trial.participants.flatMap((participant) => participant.lesions.map((lesion) => lesion.visits[3]!.centre.join()));
    expect(centres(a)).not.toEqual(centres(b));
    expect(participantTruth('1', a.participants[1]!).studies[0]!.studyInstanceUid).not.toBe(participantTruth('2', b.participants[1]!).studies[0]!.studyInstanceUid);
  });

  it('makes valid, distinct 2.25 UIDs below 2^128', () => {
    const uids = new Set<string>();
    for (let index = 0; index < 3; index += 1) {
      const truth = truthOf('1', index);
      for (const study of truth.studies) {
        for (const uid of [study.studyInstanceUid, study.frameOfReferenceUid, ...study.series.map((series) => series.seriesInstanceUid)]) {
          expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
          expect(uid.length).toBeLessThanOrEqual(64);
          expect(BigInt(uid.slice(5)) < 1n << 128n).toBe(true);
          expect(uids.has(uid)).toBe(false);
          uids.add(uid);
        }
      }
    }
    // Worked out with the independent cyrb128 and sfc32: the first four draws of stream "uid|a", as one
    // 128-bit number, marked as a version 8 UUID.
    expect(uidFromName('a')).toBe('2.25.194955099333627728309372152628483126568');
    expect(uidFromName('b')).toBe('2.25.156849998852392312597877157245718969160');
  });

  it('spaces studies by the visit schedule and moves the head a little between visits', () => {
    for (let index = 0; index < 12; index += 1) {
      const participant = designParticipant('1', index);
      expect(participant.patientId).toBe(`NMO-${String(index + 1).padStart(3, '0')}`);
      expect(participant.patientName).toMatch(/^SYNTHETIC\^SUBJECT\d{3}$/);
      participant.studies.forEach((study, visit) => {
        expect(Math.abs(study.dayOffset - VISITS[visit]!.week * 7)).toBeLessThanOrEqual(3);
        expect(study.date).toMatch(/^20\d{6}$/);
        for (const angle of study.headMotion.rotationDeg) expect(Math.abs(angle)).toBeLessThanOrEqual(3);
        for (const shift of study.headMotion.translationMm) expect(Math.abs(shift)).toBeLessThanOrEqual(4);
      });
      const days = participant.studies.map((study) => Date.UTC(+study.date.slice(0, 4), +study.date.slice(4, 6) - 1, +study.date.slice(6)) / 86_400_000);
      expect(days.map((day) => day - days[0]!)).toEqual(participant.studies.map((study) => study.dayOffset));
      const motions = participant.studies.map((study) => JSON.stringify(study.headMotion));
      expect(new Set(motions).size).toBe(4);
    }
  });

  it('sums participants into trial totals', () => {
    const participants = [truthOf('1', 0), truthOf('1', 1), truthOf('1', 2)];
    const trial = trialTruth('1', participants);
    expect(trial.totals.endpoint.previous).toBe(participants.reduce((sum, p) => sum + p.endpoint.previous, 0));
    expect(trial.totals.endpoint.baseline).toBe(participants.reduce((sum, p) => sum + p.endpoint.baseline, 0));
    const w52brain = trial.totals.byVisitAndRegion.previous.find((row) => row.visit === 'W52' && row.region === 'brain')!;
    expect(w52brain.newOrEnlarging).toBe(participants.reduce((sum, p) => sum + p.counts.previous.find((row) => row.visit === 'W52' && row.region === 'brain')!.newOrEnlarging, 0));
    expect(trial.charter).toEqual(DEFAULT_CHARTER_RULES);
  });
});

describe('phantoms', () => {
  it('has dark ventricles and white matter darker than lesions on FLAIR', () => {
    const head = { scale: [1, 1, 1] as const };
    const flair = CONTRASTS.FLAIR;
    expect(headSignal(9.5, -2, 13, head, flair)).toBeCloseTo(flair[CSF]!, 2); // lateral ventricle body
    expect(headSignal(25, 10, 40, head, flair)).toBeCloseTo(flair[WM]!, 2); // centrum semiovale
    expect(headSignal(200, 0, 0, head, flair)).toBe(0); // air
  });

  it('knows the vertebral level of every height on the cord', () => {
    const model = spineModel({ lengthScale: 1 });
    expect(levelAt(model, model.boundaries[0]! - 1)).toBe('C1');
    expect(levelAt(model, model.boundaries[7]! - 1)).toBe('T1');
    expect(levelAt(model, model.boundaries[19]! + 1)).toBe('T12');
    expect(levelAt(model, model.boundaries[0]! + 1)).toBeNull();
  });
});
