// The DICOM listener against dcmtk's own senders (storescu, echoscu), on
// loopback: what arrives is imported exactly as a folder import of the same
// files, pixels byte for byte; whoever is not allowed is refused at the
// association; what is not an image, or not a whole data set, is answered
// with its failure status and kept out; a connection cut mid-study imports
// nothing and holds the instances that arrived whole.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import dcmjsDimse from 'dcmjs-dimse';
import dicomParser from 'dicom-parser';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Client } from '../../../shared/client';
import type { ImportSummary } from '../../../shared/contract';
import { HELD_MARKER, type ListenerEvent, startDicomListener } from '../../../main/network/listener';
import { geSeries, malformed, tempFolder, transferSyntaxes } from '../../helpers/fixtures';
import { openStore, pixelHashes } from '../../helpers/network';
import { requireTool } from '../../helpers/tools';

const run = promisify(execFile);
const STORESCU = requireTool('storescu', 'dcmtk');
const ECHOSCU = requireTool('echoscu', 'dcmtk');
const OUR_AE = 'LESIONTRACK';
const SCANNER = 'SCANNER';

/**
 * The image fixtures a scanner would send as they are, with the storescu option that proposes each file's own
 * transfer syntax (storescu converts to an uncompressed one otherwise). Big-endian and deflated files are left out:
 * an SCU converts them to what the listener prefers, so their index would rightly differ from a folder import's.
 */
const SENDS: readonly { option: string | null; files: readonly string[] }[] = [
  { option: null, files: [...readdirSync(geSeries).map((name) => join(geSeries, name)), join(transferSyntaxes, 'MR_small_explicit_little.dcm')] },
  { option: '--propose-implicit', files: [join(transferSyntaxes, 'MR_small_implicit.dcm')] },
  { option: '--propose-rle', files: [join(transferSyntaxes, 'MR_small_RLE.dcm')] },
  { option: '--propose-jls-lossless', files: [join(transferSyntaxes, 'MR_small_jpeg_ls_lossless.dcm')] },
  { option: '--propose-j2k-lossless', files: [join(transferSyntaxes, 'MR_small_jp2klossless.dcm')] },
  { option: '--propose-jpeg12', files: [join(transferSyntaxes, 'JPGExtended.dcm')] },
];
const SENT = SENDS[0]!.files;

async function station() {
  const { client, dbPath } = openStore();
  const events: ListenerEvent[] = [];
  const imported: ImportSummary[] = [];
  const receivedRoot = join(dbPath, '..', 'received');
  const listener = await startDicomListener({
    config: { aeTitle: OUR_AE, port: 0, address: '127.0.0.1', allowed: [{ aeTitle: SCANNER, host: '127.0.0.1' }] },
    receivedRoot,
    importBatch: async (batch) => {
      imported.push(await client.importFolder({ folder: batch.folder }));
    },
    onEvent: (event) => events.push(event),
  });
  onTestFinished(() => listener.close());
  return { client, events, imported, receivedRoot, port: listener.port };
}

/** storescu's exit code and what it printed; a refusal is a value here, not a throw. */
async function storescu(port: number, files: readonly string[], { callingAe = SCANNER, calledAe = OUR_AE, option = null as string | null } = {}): Promise<{ code: number; output: string }> {
  try {
    // The GE fixtures' trailing padding makes dcmtk warn at every file: errors only.
    const args = ['--required', '--log-level', 'error', ...(option ? [option] : []), '-aet', callingAe, '-aec', calledAe, '127.0.0.1', String(port), ...files];
    const { stdout, stderr } = await run(STORESCU, args);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** The store's index without its own ids and paths: what a folder import and a receipt must agree on. */
async function indexOf(client: Client) {
  const series = await client.listSeries({});
  return Promise.all(
    [...series]
      .sort((a, b) => a.seriesUid.localeCompare(b.seriesUid))
      .map(async ({ id, subjectCode: _subject, ...summary }) => {
        const [references, images] = await Promise.all([client.seriesReferences({ seriesId: id }), client.seriesImages({ seriesId: id })]);
        const uidOf = new Map(references.instances.map((instance) => [instance.instanceId, instance.sopInstanceUid]));
        return {
          ...summary,
          images: images.images.map(({ instanceId, ...image }) => ({ ...image, sopInstanceUid: uidOf.get(instanceId) })).sort((a, b) => String(a.sopInstanceUid).localeCompare(String(b.sopInstanceUid))),
        };
      }),
  );
}

function receivedFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.dcm')).map((name) => join(root, name));
}

describe('the DICOM listener', () => {
  it('answers C-ECHO from an allowed caller', async () => {
    const { port, events } = await station();
    await run(ECHOSCU, ['-aet', SCANNER, '-aec', OUR_AE, '127.0.0.1', String(port)]);
    expect(events.map((event) => event.kind)).toEqual(['association-accepted', 'echo', 'association-released']);
  });

  // The small MR fixtures are one image in several encodings (one SOP Instance UID): each encoding goes to a store of its own.
  it.each(SENDS.map((send) => [send.option ?? 'uncompressed', send] as const))('imports what storescu sends (%s) exactly as a folder import of the same files, pixels byte for byte', async (_name, { option, files }) => {
    const { client, port, imported, receivedRoot, events } = await station();
    const sent = await storescu(port, files, { option });
    expect(sent.code, sent.output).toBe(0);
    await expect.poll(() => imported.length).toBe(1);
    expect(imported[0]).toMatchObject({ filesSeen: files.length, rejected: [], conflicts: [] });
    expect(events.find((event) => event.kind === 'association-released')).toMatchObject({ batch: { callingAeTitle: SCANNER, instances: files.length } });

    const folderImport = openStore().client;
    const copy = tempFolder();
    await run('cp', [...files, copy]);
    await folderImport.importFolder({ folder: copy });
    expect(await indexOf(client)).toEqual(await indexOf(folderImport));
    expect(pixelHashes(receivedFiles(receivedRoot))).toEqual(pixelHashes(files));
  });

  it('rejects an unknown calling AE title, a known one from another host, and a wrong called AE title, and stores nothing', async () => {
    const { client, port, events, receivedRoot } = await station();
    const stranger = await storescu(port, SENT.slice(0, 1), { callingAe: 'STRANGER' });
    expect(stranger.code).not.toBe(0);
    expect(stranger.output).toMatch(/Calling AE Title Not Recognized/i);
    const misaddressed = await storescu(port, SENT.slice(0, 1), { calledAe: 'OTHER' });
    expect(misaddressed.output).toMatch(/Called AE Title Not Recognized/i);
    expect(events).toEqual([
      { kind: 'association-rejected', callingAeTitle: 'STRANGER', host: '127.0.0.1', reason: 'calling AE title "STRANGER" from 127.0.0.1 is not in the allowed list' },
      { kind: 'association-rejected', callingAeTitle: SCANNER, host: '127.0.0.1', reason: 'called AE title "OTHER" is not this listener\'s ("LESIONTRACK")' },
    ]);
    expect(receivedFiles(receivedRoot)).toEqual([]);
    expect(await client.listSeries({})).toEqual([]);
  });

  it('refuses a SOP class it does not store (a structured report) at the association, naming it', async () => {
    const { client, port, events } = await station();
    const report = join(malformed, 'reportsi_with_empty_number_tags.dcm');
    const sent = await storescu(port, [report]);
    expect(sent.code).not.toBe(0);
    expect(sent.output).toMatch(/No Acceptable Presentation Context/i);
    // storescu --required proposes the file's SOP class in two contexts (its own transfer syntax, and the uncompressed ones).
    expect(events[0]?.kind).toBe('association-accepted');
    expect(new Set((events[0] as Extract<ListenerEvent, { kind: 'association-accepted' }>).refusedSopClasses)).toEqual(new Set(['1.2.840.10008.5.1.4.1.1.88.11']));
    expect(await client.listSeries({})).toEqual([]);
  });

  it('answers a truncated data set with "cannot understand" (C000), keeps no file of it and imports only the whole ones', async () => {
    const { client, port, imported, receivedRoot, events } = await station();
    const whole = SENT[0]!;
    const bytes = readFileSync(whole);
    const dataSetStart = 132 + 12 + bytes.readUInt32LE(140);
    const parsed = dicomParser.parseDicom(new Uint8Array(bytes));
    const pixels = parsed.elements.x7fe00010!;
    const truncated = new dcmjsDimse.Dataset({ SOPClassUID: parsed.string('x00080016'), SOPInstanceUID: parsed.string('x00080018') }, '1.2.840.10008.1.2.1');
    // The data set's own bytes cut halfway through its pixel values, as a sender that died mid-file would have them: sent as they are.
    truncated.getDenaturalizedDataset = () => bytes.subarray(dataSetStart, pixels.dataOffset + pixels.length / 2);
    const statuses = await sendWithLibrary(port, [whole, truncated]);
    expect(statuses).toEqual([0x0000, 0xc000]);
    expect(events.find((event) => event.kind === 'instance-refused')).toMatchObject({ status: 0xc000, reason: 'truncated inside the pixel data (65536 of 131072 bytes present)' });
    await expect.poll(() => imported.length).toBe(1);
    expect(receivedFiles(receivedRoot)).toHaveLength(1);
    expect((await client.listSeries({})).map((series) => series.instanceCount)).toEqual([1]);
  });

  it('imports nothing of an association cut mid-study, and holds the instances that arrived whole', async () => {
    const { client, port, imported, receivedRoot, events } = await station();
    // A link that dies halfway through the fourth file: storescu's bytes pass through until then, and both ends are cut.
    // (brain_001 carries 2.5 MB of trailing padding that storescu does not send: the others' sizes are what goes on the wire.)
    const files = SENT.slice(1, 11);
    const [first, second, third, fourth] = files.map((file) => statSync(file).size);
    const relay = await cuttingRelay(port, first! + second! + third! + Math.round(fourth! / 2));
    await storescu(relay, files);
    await expect.poll(() => events.some((event) => event.kind === 'association-aborted')).toBe(true);
    const aborted = events.find((event) => event.kind === 'association-aborted')!;
    expect(aborted).toMatchObject({ batch: { instances: 3 }, reason: 'the connection closed before the association was released' });
    const folder = (aborted as Extract<ListenerEvent, { kind: 'association-aborted' }>).batch.folder;
    expect(readdirSync(folder).sort()).toEqual([HELD_MARKER, ...readdirSync(folder).filter((name) => name.endsWith('.dcm'))].sort());
    expect(receivedFiles(receivedRoot)).toHaveLength(3);
    expect(existsSync(join(folder, HELD_MARKER))).toBe(true);
    expect(imported).toEqual([]);
    expect(await client.listSeries({})).toEqual([]);
  });
});

/** Sends data sets with dcmjs-dimse's own client (to send bytes storescu would refuse to read); answers each C-STORE's status. */
async function sendWithLibrary(port: number, datasets: (string | InstanceType<typeof dcmjsDimse.Dataset>)[]): Promise<number[]> {
  const client = new dcmjsDimse.Client();
  const statuses: number[] = [];
  for (const dataset of datasets) {
    const request = new dcmjsDimse.requests.CStoreRequest(dataset);
    request.on('response', (response) => statuses.push(response.getStatus()));
    client.addRequest(request);
  }
  await new Promise<void>((resolveSent, rejectSent) => {
    client.on('closed', () => resolveSent());
    client.on('networkError', (error) => rejectSent(error));
    client.send('127.0.0.1', port, SCANNER, OUR_AE);
  });
  return statuses;
}

/** A relay to the listener that passes the first `limit` bytes from the sender, then cuts both connections. */
async function cuttingRelay(port: number, limit: number): Promise<number> {
  const server = createServer((inbound: Socket) => {
    const outbound = connect(port, '127.0.0.1');
    let passed = 0;
    inbound.on('data', (chunk: Buffer) => {
      const room = limit - passed;
      passed += chunk.length;
      outbound.write(room >= chunk.length ? chunk : chunk.subarray(0, Math.max(0, room)));
      // Ended, not destroyed: the bytes up to the cut still reach the listener.
      if (passed >= limit) {
        outbound.end();
        inbound.destroy();
      }
    });
    outbound.on('data', (chunk: Buffer) => inbound.write(chunk));
    outbound.on('error', () => inbound.destroy());
    inbound.on('error', () => outbound.destroy());
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
  onTestFinished(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
