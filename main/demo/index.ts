// The synthetic-trial generator: `generateTrial` writes a demo NMOSD trial
// (DICOM + truth.json). See generate.ts; the pure design lives in shared/synthetic.
export { DEFAULT_SEED, DEFAULT_SUBJECTS, generateTrial, TRUTH_FILE, type GenerateProgress, type GenerateTrialOptions, type GenerateTrialResult } from './generate';
export { formatDecimal } from '../dicom/write';
