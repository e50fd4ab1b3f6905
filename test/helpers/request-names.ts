// Every request of the contract, written out by hand: the tests compare the
// contract, the typed client and both transports with this list, so a request
// added, dropped or renamed without a test noticing fails here, instead of
// every check looping over the contract's own keys. In the order of the
// contract's areas (shared/contract/): catalog, trial, lesions, derived, reads, exports.
export const REQUEST_NAMES = [
  'workspace',
  'openDemoTrial',
  'leaveDemoTrial',
  'chooseFolder',
  'importFolder',
  'startImport',
  'importStatus',
  'cancelImport',
  'listSeries',
  'seriesImages',
  'seriesReferences',

  'trialSetup',
  'saveParticipant',
  'linkPatient',
  'saveProtocol',
  'listAssignments',
  'assignStudy',
  'assignSeries',
  'worklist',
  'charter',
  'saveCharter',
  'readingDesign',
  'saveReadingDesign',
  'sessionSettings',
  'saveSessionSettings',
  'defaultReadingLayouts',
  'saveDefaultReadingLayouts',
  'readingLayout',
  'saveReadingLayout',

  'listLesions',
  'createLesion',
  'recordObservation',
  'overrideStatus',
  'counts',
  'alignment',
  'saveAlignment',
  'autoAlign',

  'subtraction',
  'candidates',
  'reviewCandidate',

  'listReaders',
  'createReader',
  'chooseReader',
  'signRead',
  'unlockRead',
  'signatures',
  'readReadiness',
  'agreement',
  'adjudication',
  'adjudicate',
  'auditTrail',

  'exportFiles',
] as const;
