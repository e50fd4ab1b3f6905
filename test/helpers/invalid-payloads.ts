// Payloads every request of the contract must refuse, written out by hand
// from what each request means (not read from its schema): wrong types,
// extra keys, out-of-range numbers, oversized strings, wrong enum values and
// missing fields. Each request also has one valid payload, and each invalid
// one differs from it in one way only, so a refusal names that one fault.
// A schema made too permissive lets one of these through, and the contract
// test fails.
import type { RequestName } from '../../shared/contract';

export interface RefusalCases {
  /** A payload the request accepts: the invalid ones are variations of it. */
  valid: Record<string, unknown>;
  /** Why each payload is wrong, and the payload. */
  invalid: Record<string, unknown>;
}

/** Shapes no request accepts, sent to every request. */
export const NOT_AN_OBJECT: Readonly<Record<string, unknown>> = { null: null, undefined, 'an array': [], 'a string': 'text', 'a number': 42 };

const text = (length: number) => 'x'.repeat(length);

/** Four-up for the brain, FLAIR first. */
const fourUp = { region: 'brain', layout: { layout: 'four', sequences: ['FLAIR', 'T2'] } };
const twoUp = { layout: 'two', sequences: ['STIR'] };
const trialLayouts = { layouts: { brain: fourUp.layout, spinal_cord: twoUp, optic_nerve: twoUp }, reason: 'the charter, version 2' };

/** A request without a payload: only {} is valid. */
const NO_PAYLOAD: RefusalCases = { valid: {}, invalid: { 'an extra key': { all: true } } };

/** The wrong values a database id can take, for `field` of `valid`. */
function badIds(valid: Record<string, unknown>, field: string): Record<string, unknown> {
  return {
    [`${field} missing`]: without(valid, field),
    [`${field} as a string`]: { ...valid, [field]: '1' },
    [`${field} zero`]: { ...valid, [field]: 0 },
    [`${field} negative`]: { ...valid, [field]: -3 },
    [`${field} a fraction`]: { ...valid, [field]: 1.5 },
    [`${field} beyond a safe integer`]: { ...valid, [field]: 2 ** 60 },
  };
}

function without(payload: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _dropped, ...rest } = payload;
  return rest;
}

const folder = { folder: '/tmp/scans' };
const folderCases: RefusalCases = {
  valid: folder,
  invalid: {
    'folder missing': {},
    'folder a number': { folder: 7 },
    'folder null': { folder: null },
    'folder empty': { folder: '' },
    'folder longer than a path can be (4096)': { folder: `/${text(4096)}` },
    'an extra key': { ...folder, recursive: true },
  },
};

const job = { jobId: '3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b' };
const jobCases: RefusalCases = {
  valid: job,
  invalid: {
    'jobId missing': {},
    'jobId not a UUID': { jobId: 'not-a-uuid' },
    'jobId a UUID with text after it': { jobId: `${job.jobId}x` },
    'jobId a number': { jobId: 42 },
    'an extra key': { ...job, force: true },
  },
};

const series = { seriesId: 1 };
const seriesCases: RefusalCases = { valid: series, invalid: { ...badIds(series, 'seriesId'), 'an extra key': { ...series, frame: 1 } } };

const pair = { currentSeriesId: 1, comparatorSeriesId: 2 };
const pairCases: RefusalCases = {
  valid: pair,
  invalid: { ...badIds(pair, 'currentSeriesId'), ...badIds(pair, 'comparatorSeriesId'), 'an extra key': { ...pair, force: true } },
};

const participant = { subjectCode: '002', baselineDate: '2024-01-31' };
const visit = { code: 'W0', label: 'Baseline', week: 0, inEndpoint: false };
const protocol = { schedule: { visits: [visit], toleranceDays: 14 }, rules: { regions: [{ id: 'brain', region: 'brain', pattern: 'FLAIR' }], sequences: [{ sequence: 'T2', pattern: 'T2' }], ignorePattern: '' } };
const withVisit = (change: Record<string, unknown>) => ({ ...protocol, schedule: { ...protocol.schedule, visits: [{ ...visit, ...change }] } });
const withRules = (change: Record<string, unknown>) => ({ ...protocol, rules: { ...protocol.rules, ...change } });
const transform = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };
const saveAlignment = { ...pair, transform };
const withTransform = (change: Record<string, unknown>) => ({ ...saveAlignment, transform: { ...transform, ...change } });
const measured = { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 5 } };
const lesion = { participantId: 1, region: 'brain', observation: measured };
const withObservation = (change: Record<string, unknown>) => ({ ...lesion, observation: { ...measured, ...change } });
const observation = { lesionId: 1, visitCode: 'W12', finding: { kind: 'resolved' } };
const ruler = { seriesId: 1, anchors: [{ level: 'C2', point: [0, 0, 0] }, { level: 'T1', point: [0, 10, -110] }] };
const trace = { participantId: 1, visitCode: 'W0', side: 'left', seriesId: 2, points: [[30, -50, -40], [14, -30, -36], [0, -17, -31]] };
const override = { lesionId: 1, visitCode: 'W12', status: 'new', reason: 'seen on FLAIR' };
const charter = { id: 'charter-2', comparator: 'previous', minimumSizeMm: 3, enlargingRelative: 0.5, enlargingAbsoluteMm: 3, enlargingRule: 'both' };
const withCharter = (change: Record<string, unknown>) => ({ charter: { ...charter, ...change } });
const reader = { name: 'Dr Reader', role: 'reader', secret: 'long enough' };
const choice = { readerId: 1, secret: 'any secret' };
const read = { participantId: 1, visitCode: 'W12', region: 'brain' };
const sign = { ...read, secret: 'any secret' };
const unlock = { ...sign, reason: 'second look' };
const readCases: RefusalCases = {
  valid: read,
  invalid: { ...badIds(read, 'participantId'), 'region missing': without(read, 'region'), 'an unknown region': { ...read, region: 'liver' }, 'visitCode missing': without(read, 'visitCode'), 'an extra key': { ...read, secret: 'any secret' } },
};
const readPair = { ...read, ...pair };
const readPairCases: RefusalCases = {
  valid: readPair,
  invalid: {
    ...badIds(readPair, 'participantId'),
    ...badIds(readPair, 'currentSeriesId'),
    ...badIds(readPair, 'comparatorSeriesId'),
    'visitCode missing': without(readPair, 'visitCode'),
    'visitCode in lower case': { ...readPair, visitCode: 'w12' },
    'an unknown region': { ...readPair, region: 'liver' },
    'an extra key': { ...readPair, track: 'reader1' },
  },
};
const review = { ...readPair, candidateId: `${'0'.repeat(32)}-0`, decision: 'dismiss' };
const adjudicate = { participantId: 1, visitCode: 'W12', region: 'brain', call: { choice: 'reader1' }, reason: 'reader 1 is right: the lesion is there on both echoes', secret: 'correct horse' };
const doubleRead = { design: { design: 'double', adjudication: { rule: 'count_differs' } }, reason: 'two independent readers, per the charter' };
const idle = { settings: { idleMinutes: 15 }, reason: 'shared reading room' };
const qualificationSet = { set: { seed: 'q-2026', difficulty: 'hard', participants: 3 } };
const qualificationBar = { rule: { minSensitivity: 0.8, maxFalsePositivesPerScan: 0.5, pairingToleranceMm: 5 }, reason: 'the charter, version 2' };

export const INVALID_PAYLOADS: Readonly<Record<RequestName, RefusalCases>> = {
  workspace: NO_PAYLOAD,
  openDemoTrial: { valid: {}, invalid: { 'a subject count (the demo trial is fixed)': { subjects: 100 } } },
  leaveDemoTrial: NO_PAYLOAD,
  chooseFolder: { valid: {}, invalid: { 'a folder (the dialog chooses it)': { folder: '/' } } },
  importFolder: folderCases,
  startImport: folderCases,
  importStatus: jobCases,
  cancelImport: jobCases,
  listSeries: NO_PAYLOAD,
  seriesImages: seriesCases,
  seriesReferences: seriesCases,
  trialSetup: NO_PAYLOAD,
  saveParticipant: {
    valid: participant,
    invalid: {
      'subjectCode missing': without(participant, 'subjectCode'),
      'subjectCode empty': { ...participant, subjectCode: '' },
      'subjectCode blank': { ...participant, subjectCode: '   ' },
      'subjectCode longer than 32': { ...participant, subjectCode: text(33) },
      'subjectCode with a space and a semicolon': { ...participant, subjectCode: '001; DROP TABLE' },
      'subjectCode a number': { ...participant, subjectCode: 2 },
      'baselineDate missing': without(participant, 'baselineDate'),
      'baselineDate without leading zeros': { ...participant, baselineDate: '2024-1-31' },
      'baselineDate in another format': { ...participant, baselineDate: '31/01/2024' },
      'baselineDate with a time': { ...participant, baselineDate: '2024-01-31T00:00:00Z' },
      'baselineDate a month that does not exist': { ...participant, baselineDate: '2024-13-01' },
      'baselineDate a day that does not exist': { ...participant, baselineDate: '2023-02-29' },
      'id zero': { ...participant, id: 0 },
      'id as a string': { ...participant, id: '1' },
      'an extra key': { ...participant, sex: 'F' },
    },
  },
  linkPatient: {
    valid: { patientRef: 1, participantId: 1 },
    invalid: {
      ...badIds({ patientRef: 1, participantId: 1 }, 'patientRef'),
      'participantId missing (null unlinks, absent is a mistake)': { patientRef: 1 },
      'participantId as a string': { patientRef: 1, participantId: 'p' },
      'participantId zero': { patientRef: 1, participantId: 0 },
      'an extra key': { patientRef: 1, participantId: 1, force: true },
    },
  },
  saveProtocol: {
    valid: protocol,
    invalid: {
      'schedule missing': without(protocol, 'schedule'),
      'rules missing': without(protocol, 'rules'),
      'no visits': { ...protocol, schedule: { ...protocol.schedule, visits: [] } },
      'more than 20 visits': { ...protocol, schedule: { ...protocol.schedule, visits: Array.from({ length: 21 }, (_, index) => ({ ...visit, code: `W${index}`, week: index })) } },
      'a visit code in lower case': withVisit({ code: 'w0' }),
      'a visit code longer than 8': withVisit({ code: 'WEEK00012' }),
      'a visit label empty': withVisit({ label: '' }),
      'a visit label longer than 64': withVisit({ label: text(65) }),
      'a negative week': withVisit({ week: -1 }),
      'a week beyond ten years': withVisit({ week: 521 }),
      'a fractional week': withVisit({ week: 1.5 }),
      'inEndpoint as a string': withVisit({ inEndpoint: 'yes' }),
      'an extra key in a visit': withVisit({ window: 7 }),
      'toleranceDays negative': { ...protocol, schedule: { ...protocol.schedule, toleranceDays: -1 } },
      'toleranceDays beyond 60': { ...protocol, schedule: { ...protocol.schedule, toleranceDays: 61 } },
      'a region rule for an unknown region': withRules({ regions: [{ id: 'liver', region: 'liver', pattern: 'LIVER' }] }),
      'a region rule with an empty pattern': withRules({ regions: [{ id: 'brain', region: 'brain', pattern: '' }] }),
      'a region rule with a pattern longer than 300': withRules({ regions: [{ id: 'brain', region: 'brain', pattern: text(301) }] }),
      'a region rule for an unknown orientation': withRules({ regions: [{ id: 'brain', region: 'brain', pattern: 'FLAIR', orientations: ['diagonal'] }] }),
      'a sequence rule for "other"': withRules({ sequences: [{ sequence: 'other', pattern: '.*' }] }),
      'a sequence rule for an unknown sequence': withRules({ sequences: [{ sequence: 'DWI', pattern: 'DWI' }] }),
      'an ignore pattern longer than 300': withRules({ ignorePattern: text(301) }),
      'a reason longer than 500': { ...protocol, reason: text(501) },
      'an extra key': { ...protocol, force: true },
    },
  },
  listAssignments: NO_PAYLOAD,
  assignStudy: {
    valid: { studyId: 1, visitCode: 'W12' },
    invalid: {
      ...badIds({ studyId: 1, visitCode: 'W12' }, 'studyId'),
      'visitCode missing (null excludes, absent is a mistake)': { studyId: 1 },
      'visitCode in lower case': { studyId: 1, visitCode: 'w12' },
      'visitCode with a trailing space': { studyId: 1, visitCode: 'W12 ' },
      'visitCode longer than 16': { studyId: 1, visitCode: 'W'.repeat(17) },
      'a reason longer than 500': { studyId: 1, visitCode: 'W12', reason: text(501) },
      'an extra key': { studyId: 1, visitCode: 'W12', region: 'brain' },
    },
  },
  assignSeries: {
    valid: { seriesId: 1, region: 'brain', sequence: 'T2' },
    invalid: {
      ...badIds({ seriesId: 1, region: 'brain', sequence: 'T2' }, 'seriesId'),
      'region missing (null says not read, absent is a mistake)': { seriesId: 1, sequence: 'T2' },
      'an unknown region': { seriesId: 1, region: 'liver', sequence: 'T2' },
      'sequence missing': { seriesId: 1, region: 'brain' },
      'an unknown sequence': { seriesId: 1, region: 'brain', sequence: 'DWI' },
      'a reason longer than 500': { seriesId: 1, region: 'brain', sequence: 'T2', reason: text(501) },
      'an extra key': { seriesId: 1, region: 'brain', sequence: 'T2', visitCode: 'W12' },
    },
  },
  worklist: NO_PAYLOAD,
  auditTrail: {
    valid: {},
    invalid: {
      'participantId as a string': { participantId: 'one' },
      'participantId zero': { participantId: 0 },
      'an actor longer than 200': { actor: text(201) },
      'from without leading zeros': { from: '2026-1-1' },
      'to in words': { to: 'yesterday' },
      'from a day that does not exist': { from: '2026-02-30' },
      'limit zero': { limit: 0 },
      'limit beyond 5000': { limit: 5001 },
      'limit a fraction': { limit: 1.5 },
      'an extra key': { entity: 'lesion' },
    },
  },
  exportFiles: {
    valid: { format: 'odm', reads: 'signed' },
    invalid: {
      'format missing': { reads: 'signed' },
      'an unknown format': { format: 'pdf', reads: 'signed' },
      'reads missing': { format: 'odm' },
      'an unknown choice of reads': { format: 'odm', reads: 'final' },
      'the old signedOnly flag': { format: 'odm', reads: 'signed', signedOnly: true },
      'a REDCap field name with capitals and a space': { format: 'redcap', reads: 'signed', redcapMapping: { fields: { brain_new: 'Brain New' } } },
      'a REDCap event name longer than 100': { format: 'redcap', reads: 'signed', redcapMapping: { events: { W12: `w${text(100)}` } } },
      'a REDCap visit code longer than 16': { format: 'redcap', reads: 'signed', redcapMapping: { events: { ['W'.repeat(17)]: 'week_12' } } },
      'an extra key in the REDCap mapping': { format: 'redcap', reads: 'signed', redcapMapping: { events: { W12: 'week_12' }, arms: {} } },
    },
  },
  alignment: pairCases,
  saveAlignment: {
    valid: saveAlignment,
    invalid: {
      ...badIds(saveAlignment, 'currentSeriesId'),
      'transform missing': pair,
      'a rotation beyond 45 degrees': withTransform({ rotationDeg: [46, 0, 0] }),
      'a rotation beyond -45 degrees': withTransform({ rotationDeg: [0, 0, -46] }),
      'two rotation angles': withTransform({ rotationDeg: [0, 0] }),
      'four rotation angles': withTransform({ rotationDeg: [0, 0, 0, 0] }),
      'a rotation angle as a string': withTransform({ rotationDeg: ['0', 0, 0] }),
      'a translation beyond 500 mm': withTransform({ translationMm: [0, 501, 0] }),
      'a centre beyond 5000 mm': withTransform({ centreMm: [0, 0, -5001] }),
      'an extra key in the transform': withTransform({ scale: [1, 1, 1] }),
      'an extra key': { ...saveAlignment, source: 'manual' },
    },
  },
  autoAlign: pairCases,
  subtraction: pairCases,
  candidates: readPairCases,
  reviewCandidate: {
    valid: review,
    invalid: {
      ...badIds(review, 'participantId'),
      ...badIds(review, 'currentSeriesId'),
      'candidateId missing': without(review, 'candidateId'),
      'candidateId longer than 64': { ...review, candidateId: text(65) },
      'candidateId a number': { ...review, candidateId: 3 },
      'decision missing': without(review, 'decision'),
      'an unknown decision': { ...review, decision: 'maybe' },
      'a decision in the past tense': { ...review, decision: 'dismissed' },
      'lesionId zero': { ...review, decision: 'confirm', lesionId: 0 },
      'lesionId as a string': { ...review, decision: 'confirm', lesionId: '1' },
      'a track (main works it out)': { ...review, track: 'reader1' },
    },
  },
  listLesions: {
    valid: { participantId: 1 },
    invalid: { ...badIds({ participantId: 1 }, 'participantId'), 'an unknown track': { participantId: 1, track: 'reader3' }, 'a track in capitals': { participantId: 1, track: 'READER1' }, 'an extra key': { participantId: 1, region: 'brain' } },
  },
  createLesion: {
    valid: lesion,
    invalid: {
      ...badIds(lesion, 'participantId'),
      'region missing': without(lesion, 'region'),
      'an unknown region': { ...lesion, region: 'liver' },
      'an unknown side': { ...lesion, side: 'both' },
      'splitFromLesionId zero': { ...lesion, splitFromLesionId: 0 },
      'observation missing': without(lesion, 'observation'),
      'visitCode in lower case': withObservation({ visitCode: 'w12' }),
      'visitCode longer than 16': withObservation({ visitCode: 'W'.repeat(17) }),
      'an unknown finding': withObservation({ finding: { kind: 'grew' } }),
      'a measurement without its diameter': withObservation({ finding: { kind: 'measured' } }),
      'a diameter of zero': withObservation({ finding: { kind: 'measured', longestDiameterMm: 0 } }),
      'a negative diameter': withObservation({ finding: { kind: 'measured', longestDiameterMm: -1 } }),
      'a diameter beyond 500 mm': withObservation({ finding: { kind: 'measured', longestDiameterMm: 501 } }),
      'a diameter as a string': withObservation({ finding: { kind: 'measured', longestDiameterMm: '5' } }),
      'a merge without the lesion it merged into': withObservation({ finding: { kind: 'merged' } }),
      'an extra key in the finding': withObservation({ finding: { kind: 'resolved', longestDiameterMm: 5 } }),
      'an image at frame 0': withObservation({ image: { seriesId: 1, instanceId: 1, frame: 0 } }),
      'an image without its instance': withObservation({ image: { seriesId: 1, frame: 1 } }),
      'a centre with two coordinates': withObservation({ marks: { centre: [1, 2] } }),
      'a centre coordinate as a string': withObservation({ marks: { centre: ['1', 2, 3] } }),
      'a diameter mark with one end': withObservation({ marks: { centre: [1, 2, 3], diameter: [[1, 2, 3]] } }),
      'a vertebral level that does not exist': withObservation({ levels: { upper: 'C0', lower: 'C2' } }),
      'levels without the lower one': withObservation({ levels: { upper: 'C2' } }),
      'an optic extent without chiasm involvement': withObservation({ opticExtent: { beyondHalfLength: true } }),
      'an optic extent as a string': withObservation({ opticExtent: { beyondHalfLength: 'yes', involvesChiasm: false } }),
      'an extra key in the observation': withObservation({ status: 'new' }),
      'an extra key': { ...lesion, label: 'brain lesion 9' },
    },
  },
  recordObservation: {
    valid: observation,
    invalid: {
      ...badIds(observation, 'lesionId'),
      'visitCode missing': without(observation, 'visitCode'),
      'visitCode with a space': { ...observation, visitCode: 'W 12' },
      'finding missing': without(observation, 'finding'),
      'a diameter beyond 500 mm': { ...observation, finding: { kind: 'measured', longestDiameterMm: 1e9 } },
      'a merge into lesion 0': { ...observation, finding: { kind: 'merged', intoLesionId: 0 } },
      'a vertebral level that does not exist': { ...observation, levels: { upper: 'C0', lower: 'C2' } },
      'a centre with two coordinates': { ...observation, marks: { centre: [1, 2] } },
      'a reason longer than 500': { ...observation, reason: text(501) },
      'one end of a lesion': { ...observation, ends: [[1, 2, 3]] },
      'three ends of a lesion': { ...observation, ends: [[1, 2, 3], [1, 2, 4], [1, 2, 5]] },
      'an end with two coordinates': { ...observation, ends: [[1, 2], [1, 2, 4]] },
      'an end at infinity': { ...observation, ends: [[1, 2, Infinity], [1, 2, 4]] },
      'an extent reason longer than 500': { ...observation, ends: [[1, 2, 3], [1, 2, 40]], extentReason: text(501) },
      'an extra key': { ...observation, region: 'brain' },
    },
  },
  overrideStatus: {
    valid: override,
    invalid: {
      ...badIds(override, 'lesionId'),
      'a status without a reason': without(override, 'reason'),
      'a status with a blank reason': { ...override, reason: '   ' },
      'an unknown status': { ...override, status: 'bigger' },
      'status missing (null clears, absent is a mistake)': without(override, 'status'),
      'a reason longer than 500': { ...override, reason: text(501) },
      'visitCode in lower case': { ...override, visitCode: 'w12' },
      'an extra key': { ...override, counted: true },
    },
  },
  counts: {
    valid: {},
    invalid: { 'participantId zero': { participantId: 0 }, 'participantId as a string': { participantId: 'one' }, 'an unknown track': { track: 'both' }, 'an extra key': { comparator: 'baseline' } },
  },
  vertebralRuler: {
    valid: { seriesId: 1 },
    invalid: { ...badIds({ seriesId: 1 }, 'seriesId'), 'an extra key': { seriesId: 1, track: 'single' } },
  },
  saveVertebralRuler: {
    valid: ruler,
    invalid: {
      ...badIds(ruler, 'seriesId'),
      'anchors missing': without(ruler, 'anchors'),
      'one anchor': { ...ruler, anchors: [ruler.anchors[0]] },
      'twenty-one anchors': { ...ruler, anchors: Array.from({ length: 21 }, (_, index) => ({ level: 'C2', point: [0, 0, -index * 20] })) },
      'a level that does not exist': { ...ruler, anchors: [{ level: 'C0', point: [0, 0, 0] }, ruler.anchors[1]] },
      'an anchor without its point': { ...ruler, anchors: [{ level: 'C2' }, ruler.anchors[1]] },
      'a point with two coordinates': { ...ruler, anchors: [{ level: 'C2', point: [0, 0] }, ruler.anchors[1]] },
      'a point coordinate as a string': { ...ruler, anchors: [{ level: 'C2', point: ['0', 0, 0] }, ruler.anchors[1]] },
      'an extra key in an anchor': { ...ruler, anchors: [{ level: 'C2', point: [0, 0, 0], body: true }, ruler.anchors[1]] },
      'a reason longer than 500': { ...ruler, reason: text(501) },
      'an extra key': { ...ruler, track: 'single' },
    },
  },
  nerveTraces: {
    valid: { participantId: 1, visitCode: 'W0' },
    invalid: { ...badIds({ participantId: 1, visitCode: 'W0' }, 'participantId'), 'visitCode missing': { participantId: 1 }, 'visitCode in lower case': { participantId: 1, visitCode: 'w0' }, 'an extra key': { participantId: 1, visitCode: 'W0', side: 'left' } },
  },
  saveNerveTrace: {
    valid: trace,
    invalid: {
      ...badIds(trace, 'participantId'),
      ...badIds(trace, 'seriesId'),
      'visitCode missing': without(trace, 'visitCode'),
      'side missing': without(trace, 'side'),
      'the chiasm as a side': { ...trace, side: 'chiasm' },
      'one point': { ...trace, points: [[0, 0, 0]] },
      'sixty-five points': { ...trace, points: Array.from({ length: 65 }, (_, index) => [0, index, 0]) },
      'a point with two coordinates': { ...trace, points: [[0, 0], [0, 40, 0]] },
      'a point coordinate as a string': { ...trace, points: [['0', 0, 0], [0, 40, 0]] },
      'a reason longer than 500': { ...trace, reason: text(501) },
      'an extra key': { ...trace, lengthMm: 40 },
    },
  },
  charter: NO_PAYLOAD,
  saveCharter: {
    valid: { charter },
    invalid: {
      'charter missing': {},
      'charter without its id': { charter: without(charter, 'id') },
      'an empty id': withCharter({ id: '' }),
      'an id longer than 64': withCharter({ id: text(65) }),
      'an unknown comparator': withCharter({ comparator: 'first' }),
      'a negative minimum size': withCharter({ minimumSizeMm: -1 }),
      'a minimum size beyond 50 mm': withCharter({ minimumSizeMm: 51 }),
      'a negative relative increase': withCharter({ enlargingRelative: -0.1 }),
      'a relative increase beyond 10 (1000%)': withCharter({ enlargingRelative: 11 }),
      'an absolute increase beyond 50 mm': withCharter({ enlargingAbsoluteMm: 51 }),
      'an absolute increase as a string': withCharter({ enlargingAbsoluteMm: '3' }),
      'an unknown enlarging rule': withCharter({ enlargingRule: 'any' }),
      'an extra key in the charter': withCharter({ shrinkingRelative: 0.3 }),
      'a reason longer than 500': { charter, reason: text(501) },
      'an extra key': { charter, force: true },
    },
  },
  listReaders: NO_PAYLOAD,
  createReader: {
    valid: reader,
    invalid: {
      'name missing': without(reader, 'name'),
      'an empty name': { ...reader, name: '' },
      'a blank name': { ...reader, name: '   ' },
      'a name longer than 80': { ...reader, name: text(81) },
      'an unknown role': { ...reader, role: 'boss' },
      'role missing': without(reader, 'role'),
      'a secret shorter than 8': { ...reader, secret: 'short' },
      'a secret longer than 256': { ...reader, secret: text(257) },
      'secret missing': without(reader, 'secret'),
      'an extra key': { ...reader, admin: true },
    },
  },
  chooseReader: {
    valid: choice,
    invalid: { ...badIds(choice, 'readerId'), 'secret missing': without(choice, 'secret'), 'a secret longer than 256': { ...choice, secret: text(257) }, 'a secret as a number': { ...choice, secret: 12345678 }, 'an extra key': { ...choice, remember: true } },
  },
  signRead: {
    valid: sign,
    invalid: {
      ...badIds(sign, 'participantId'),
      'secret missing': read,
      'a secret longer than 256': { ...sign, secret: text(257) },
      'an unknown region': { ...sign, region: 'liver' },
      'visitCode with a space': { ...sign, visitCode: 'W 12' },
      'an extra key': { ...sign, meaning: 'I approve' },
    },
  },
  unlockRead: {
    valid: unlock,
    invalid: {
      ...badIds(unlock, 'participantId'),
      'reason missing': without(unlock, 'reason'),
      'a blank reason': { ...unlock, reason: '   ' },
      'a reason longer than 500': { ...unlock, reason: text(501) },
      'secret missing': without(unlock, 'secret'),
      'an unknown region': { ...unlock, region: 'liver' },
      'an extra key': { ...unlock, force: true },
    },
  },
  signatures: readCases,
  readReadiness: readCases,
  agreement: NO_PAYLOAD,
  adjudication: {
    valid: { participantId: 1 },
    invalid: {
      'participantId zero': { participantId: 0 },
      'participantId as a string': { participantId: '1' },
      'participantId a fraction': { participantId: 1.5 },
      'a track (adjudication covers both)': { participantId: 1, track: 'reader1' },
    },
  },
  adjudicate: {
    valid: adjudicate,
    invalid: {
      ...badIds(adjudicate, 'participantId'),
      'call missing': without(adjudicate, 'call'),
      'an unknown choice': { ...adjudicate, call: { choice: 'reader3' } },
      'counts on a reader\'s call': { ...adjudicate, call: { choice: 'reader1', new: 1, enlarging: 0 } },
      'an own call without its counts': { ...adjudicate, call: { choice: 'adjudicator' } },
      'a negative own count': { ...adjudicate, call: { choice: 'adjudicator', new: -1, enlarging: 0 } },
      'a fractional own count': { ...adjudicate, call: { choice: 'adjudicator', new: 0.5, enlarging: 0 } },
      'reason missing': without(adjudicate, 'reason'),
      'a blank reason': { ...adjudicate, reason: '  ' },
      'a reason longer than 500': { ...adjudicate, reason: text(501) },
      'secret missing': without(adjudicate, 'secret'),
      'a track (the call is the final track)': { ...adjudicate, track: 'final' },
    },
  },
  readingDesign: NO_PAYLOAD,
  saveReadingDesign: {
    valid: doubleRead,
    invalid: {
      'design missing': without(doubleRead, 'design'),
      'reason missing (a trial setting changes only with one)': without(doubleRead, 'reason'),
      'a blank reason': { ...doubleRead, reason: '  ' },
      'an unknown design': { ...doubleRead, design: { design: 'triple' } },
      'a double read without its adjudication rule': { ...doubleRead, design: { design: 'double' } },
      'an unknown adjudication rule': { ...doubleRead, design: { ...doubleRead.design, adjudication: { rule: 'coin' } } },
      'a difference rule without its threshold': { ...doubleRead, design: { ...doubleRead.design, adjudication: { rule: 'difference_at_least' } } },
      'a difference threshold of 0': { ...doubleRead, design: { ...doubleRead.design, adjudication: { rule: 'difference_at_least', threshold: 0 } } },
      'a difference threshold of 1.5': { ...doubleRead, design: { ...doubleRead.design, adjudication: { rule: 'difference_at_least', threshold: 1.5 } } },
      'a threshold on the count rule': { ...doubleRead, design: { ...doubleRead.design, adjudication: { rule: 'count_differs', threshold: 2 } } },
      'an adjudication rule on a single read': { ...doubleRead, design: { design: 'single', adjudication: { rule: 'count_differs' } } },
      'an extra key in the design': { ...doubleRead, design: { ...doubleRead.design, blinded: 'yes' } },
      'an extra key': { ...doubleRead, force: true },
    },
  },
  sessionSettings: NO_PAYLOAD,
  saveSessionSettings: {
    valid: idle,
    invalid: {
      'settings missing': without(idle, 'settings'),
      'reason missing (a trial setting changes only with one)': without(idle, 'reason'),
      'a blank reason': { ...idle, reason: '   ' },
      'a reason longer than 500': { ...idle, reason: text(501) },
      'an idle limit of 0 minutes': { ...idle, settings: { idleMinutes: 0 } },
      'an idle limit beyond 4 hours': { ...idle, settings: { idleMinutes: 241 } },
      'an idle limit of 2.5 minutes': { ...idle, settings: { idleMinutes: 2.5 } },
      'an idle limit as a string': { ...idle, settings: { idleMinutes: '15' } },
      'an extra key in the settings': { ...idle, settings: { idleMinutes: 15, warnMinutes: 10 } },
      'an extra key': { ...idle, force: true },
    },
  },
  qualificationRule: NO_PAYLOAD,
  saveQualificationRule: {
    valid: qualificationBar,
    invalid: {
      'rule missing': without(qualificationBar, 'rule'),
      'reason missing (a trial setting changes only with one)': without(qualificationBar, 'reason'),
      'a blank reason': { ...qualificationBar, reason: ' ' },
      'a sensitivity above 1': { ...qualificationBar, rule: { ...qualificationBar.rule, minSensitivity: 1.2 } },
      'a negative sensitivity': { ...qualificationBar, rule: { ...qualificationBar.rule, minSensitivity: -0.1 } },
      'a sensitivity as a percentage string': { ...qualificationBar, rule: { ...qualificationBar.rule, minSensitivity: '80%' } },
      'negative false positives per scan': { ...qualificationBar, rule: { ...qualificationBar.rule, maxFalsePositivesPerScan: -1 } },
      'a pairing tolerance of 0 mm': { ...qualificationBar, rule: { ...qualificationBar.rule, pairingToleranceMm: 0 } },
      'a pairing tolerance beyond 50 mm': { ...qualificationBar, rule: { ...qualificationBar.rule, pairingToleranceMm: 51 } },
      'the tolerance missing': { ...qualificationBar, rule: without(qualificationBar.rule, 'pairingToleranceMm') },
      'an extra key in the rule': { ...qualificationBar, rule: { ...qualificationBar.rule, perRegion: true } },
      'an extra key': { ...qualificationBar, force: true },
    },
  },
  qualificationSet: NO_PAYLOAD,
  qualificationScore: NO_PAYLOAD,
  recordQualificationSet: {
    valid: qualificationSet,
    invalid: {
      'set missing': {},
      'seed missing': { set: without(qualificationSet.set, 'seed') },
      'an empty seed': { set: { ...qualificationSet.set, seed: '' } },
      'a seed longer than 200': { set: { ...qualificationSet.set, seed: text(201) } },
      'an unknown difficulty': { set: { ...qualificationSet.set, difficulty: 'expert' } },
      'no participants': { set: { ...qualificationSet.set, participants: 0 } },
      '1000 participants': { set: { ...qualificationSet.set, participants: 1000 } },
      '2.5 participants': { set: { ...qualificationSet.set, participants: 2.5 } },
      'an extra key in the set': { set: { ...qualificationSet.set, truth: {} } },
      'an extra key': { ...qualificationSet, reason: 'why' },
    },
  },
  defaultReadingLayouts: NO_PAYLOAD,
  saveDefaultReadingLayouts: {
    valid: trialLayouts,
    invalid: {
      'reason missing (a trial setting changes only with one)': without(trialLayouts, 'reason'),
      'a blank reason': { ...trialLayouts, reason: ' ' },
      'layouts missing': without(trialLayouts, 'layouts'),
      'a region missing': { ...trialLayouts, layouts: without(trialLayouts.layouts, 'optic_nerve') },
      'an unknown region': { ...trialLayouts, layouts: { ...trialLayouts.layouts, liver: twoUp } },
      'one pane': { ...trialLayouts, layouts: { ...trialLayouts.layouts, brain: { layout: 'one', sequences: [] } } },
      'an extra key': { ...trialLayouts, force: true },
    },
  },
  readingLayout: {
    valid: { region: 'brain' },
    invalid: {
      'region missing': {},
      'an unknown region': { region: 'liver' },
      'a region in capitals': { region: 'BRAIN' },
      'an extra key': { region: 'brain', reader: 1 },
    },
  },
  saveReadingLayout: {
    valid: fourUp,
    invalid: {
      'region missing': without(fourUp, 'region'),
      'layout missing': without(fourUp, 'layout'),
      'three panes': { ...fourUp, layout: { layout: 'three', sequences: [] } },
      'an unknown sequence': { ...fourUp, layout: { layout: 'four', sequences: ['DWI'] } },
      'six sequences': { ...fourUp, layout: { layout: 'four', sequences: ['FLAIR', 'T2', 'STIR', 'T1', 'other', 'FLAIR'] } },
      'sequences as a string': { ...fourUp, layout: { layout: 'four', sequences: 'FLAIR' } },
      'an extra key in the layout': { ...fourUp, layout: { layout: 'four', sequences: [], panes: 4 } },
      'an extra key': { ...fourUp, force: true },
    },
  },
};
