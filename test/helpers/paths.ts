// Where the project is, for helpers that also run outside vitest (the bench).
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
