// A child process for the crash-safety test: records observations through the
// real services until it is killed. Before each write it prints "begin N",
// after the commit "ack ID", so the runner can tell a kill in mid-write from
// one between writes, and knows which writes were acknowledged.
import { writeSync } from 'node:fs';
import { createClient } from '../../shared/client';
import { openWorkstation } from '../../main/workstation';

const [dbPath, participantText, startText] = process.argv.slice(2);
const ws = openWorkstation({ dbPath: dbPath!, actor: 'crash-writer', rendererDir: '.' });
const client = createClient((name, payload) => ws.dispatch(name, payload));
const participantId = Number(participantText);
// Marking needs a chosen reader; a writer started after a kill finds the one made before it.
const secret = 'crash-writer-secret';
const reader = (await client.listReaders({})).readers.find((item) => item.name === 'Crash writer') ?? (await client.createReader({ name: 'Crash writer', role: 'reader', secret }));
await client.chooseReader({ readerId: reader.id, secret });
let size = Number(startText);
for (;;) {
  size += 1;
  // writeSync: the line is out before the write starts, whatever stdout is.
  writeSync(1, `begin ${size}\n`);
  const { lesion: lesion } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: size % 400 + 1 } } });
  // Written to the store and committed: only now is it acknowledged.
  writeSync(1, `ack ${lesion.id}\n`);
}
