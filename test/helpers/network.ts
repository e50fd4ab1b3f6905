// What the network tests share: a store opened for the test, the CLI run
// in-process with its output captured, pixel data hashes to compare what was
// sent with what arrived, and a node that accepts connections and never
// answers. Each closes itself when its test finishes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { onTestFinished } from 'vitest';
import { runCli } from '../../main/cli/main';
import { openWorkstation } from '../../main/workstation';
import { createClient, type Client } from '../../shared/client';
import { tempFolder } from './fixtures';

/** A new store in a folder of its own, closed when the test finishes. */
export function openStore(): { client: Client; dbPath: string } {
  const dbPath = join(tempFolder(), 'lesiontrack.sqlite');
  const ws = openWorkstation({ dbPath, actor: 'local:test', rendererDir: tempFolder() });
  onTestFinished(() => ws.close());
  return { client: createClient((name, payload) => ws.dispatch(name, payload)), dbPath };
}

/** `lesiontrack ...` in this process: its exit code and what it wrote. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** SOP Instance UID -> SHA-256 of the pixel data's bytes (native values, or every encapsulated fragment). */
export function pixelHashes(files: readonly string[]): Map<string, string> {
  return new Map(
    files.map((file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const dataSet = dicomParser.parseDicom(bytes);
      const pixels = dataSet.elements.x7fe00010!;
      const hash = createHash('sha256');
      if (pixels.fragments) for (const fragment of pixels.fragments) hash.update(bytes.subarray(fragment.position, fragment.position + fragment.length));
      else hash.update(bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length));
      return [dataSet.string('x00080018')!, hash.digest('hex')];
    }),
  );
}

/** A node that accepts connections and never answers; `hungUp` counts the connections the other side closed. */
export async function silentNode(): Promise<{ port: number; hungUp: () => number }> {
  const held: Socket[] = [];
  let hungUp = 0;
  const server = createServer((socket) => {
    held.push(socket);
    socket.resume();
    socket.once('close', () => (hungUp += 1));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
  onTestFinished(
    () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const socket of held) socket.destroy();
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, hungUp: () => hungUp };
}
