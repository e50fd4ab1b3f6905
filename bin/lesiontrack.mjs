#!/usr/bin/env node
// The installed command: runs the built CLI (npm install builds it through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('lesiontrack is not built yet: run "npm run build" in its folder.\n');
  process.exit(1);
}
await import(cli);
