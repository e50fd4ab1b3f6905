// The DICOM listener (C-STORE SCP): what a scanner or PACS sends arrives here,
// as it would at any reading workstation. dcmjs-dimse speaks the protocol;
// this file decides who may send what, and where it goes:
// - an association is accepted only from a configured calling AE title on its
//   host, addressed to our AE title; everything else is rejected as the
//   standard says (calling or called AE not recognised);
// - image storage (and verification, C-ECHO) are the only abstract syntaxes
//   accepted, in the transfer syntaxes the viewer decodes;
// - each instance is streamed to a file in the association's own folder under
//   the managed "received" folder, never held whole in memory; a data set the
//   header reader refuses is deleted and answered with a failure status;
// - when the association is released, its folder is imported through the
//   same importer as a folder of files. An association that is aborted or
//   dropped imports nothing: the instances received whole stay in its folder,
//   marked as held, for a later import.
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import dcmjsDimse from 'dcmjs-dimse';
import { encapsulatedPixelDataIsWhole, readInstanceHeader } from '../dicom/header';
import { fileMeta, part10Head } from '../dicom/write';
import { uidFromText } from '../store/identity';

const { Scp } = dcmjsDimse;
// The library logs every association and command to stdout; the listener reports through its own events instead.
dcmjsDimse.log.setLevel('silent');
const { CEchoResponse, CStoreResponse } = dcmjsDimse.responses;
const { PresentationContextResult, RejectReason, RejectResult, RejectSource, SopClass, Status, StorageClass } = dcmjsDimse.constants;

type Association = Parameters<InstanceType<typeof Scp>['associationRequested']>[0];
type PresentationContext = Parameters<InstanceType<typeof Scp>['createStoreWritableStream']>[0];
type CStoreRequest = Parameters<InstanceType<typeof Scp>['cStoreRequest']>[0];

/**
 * The image storage classes a folder import indexes and the viewer shows: MR above all (the trial's scans), and the
 * CT, nuclear medicine and secondary-capture images a study may carry. Reports, documents and RT objects are refused.
 */
export const ACCEPTED_STORAGE_CLASSES: readonly string[] = [
  StorageClass.MrImageStorage,
  StorageClass.EnhancedMrImageStorage,
  StorageClass.CtImageStorage,
  StorageClass.EnhancedCtImageStorage,
  StorageClass.NuclearMedicineImageStorage,
  StorageClass.PositronEmissionTomographyImageStorage,
  StorageClass.SecondaryCaptureImageStorage,
  StorageClass.MultiframeGrayscaleByteSecondaryCaptureImageStorage,
  StorageClass.MultiframeGrayscaleWordSecondaryCaptureImageStorage,
];

/** Transfer syntaxes the viewer decodes, in the order we prefer them when an SCU proposes several. */
export const ACCEPTED_TRANSFER_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.2',
];

/** C-STORE failure "Cannot understand" (PS3.4 B.2.3): the data set could not be read as an image. */
const CANNOT_UNDERSTAND = 0xc000;

/** A calling AE allowed to send, from the host named (an IP address as the socket sees it). */
export interface AllowedCaller {
  aeTitle: string;
  host: string;
}

export interface ListenerConfig {
  aeTitle: string;
  port: number;
  /** The address to listen on: 127.0.0.1 for a sender on this machine, 0.0.0.0 for the scanner's network. */
  address: string;
  allowed: readonly AllowedCaller[];
}

/** One association's instances, received whole, in their own folder. */
export interface ReceivedBatch {
  folder: string;
  callingAeTitle: string;
  instances: number;
  bytes: number;
}

/** What the listener says happened, for the log, the CLI and the app's progress. No patient data: AE titles, counts and reasons only. */
export type ListenerEvent =
  | { kind: 'association-rejected'; callingAeTitle: string; host: string; reason: string }
  | { kind: 'association-accepted'; callingAeTitle: string; host: string; refusedSopClasses: string[] }
  | { kind: 'instance-refused'; callingAeTitle: string; reason: string; status: number }
  | { kind: 'association-released'; batch: ReceivedBatch }
  | { kind: 'association-aborted'; batch: ReceivedBatch; reason: string }
  | { kind: 'echo'; callingAeTitle: string };

export interface ListenerOptions {
  config: ListenerConfig;
  /** The managed folder received files are written under (beside the store). */
  receivedRoot: string;
  /** Imports a released association's folder; its summary is the importer's. Called one at a time. */
  importBatch: (batch: ReceivedBatch) => Promise<void>;
  onEvent: (event: ListenerEvent) => void;
  /** Idle limit of an association, in ms (a node that stops sending is dropped). */
  idleTimeoutMs?: number;
}

export interface DicomListener {
  port: number;
  /** Stops accepting, drops live associations (their whole instances are held) and waits for imports under way. */
  close(): Promise<void>;
}

/** Marks a folder whose association ended without a release: its whole instances wait for an import. */
export const HELD_MARKER = 'HELD.txt';

const sanitise = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 16) || 'AE';

/** The managed folder of received files, beside the store. */
export function receivedRootOf(dbPath: string): string {
  return join(dirname(dbPath), 'received');
}

let receivedFolders = 0;

/** A new folder for one delivery (an association, a DICOMweb series) under the received root: <time>-<source>-<pid>-<n>. */
export function newReceivedFolder(receivedRoot: string, source: string): string {
  receivedFolders += 1;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const folder = join(receivedRoot, `${stamp}-${sanitise(source)}-${process.pid}-${receivedFolders}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

export async function startDicomListener(options: ListenerOptions): Promise<DicomListener> {
  const { config, receivedRoot, onEvent } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  mkdirSync(receivedRoot, { recursive: true });
  // Imports run one after another, in the order associations were released.
  let imports: Promise<void> = Promise.resolve();
  const sockets = new Set<Socket>();

  class ListenerScp extends Scp {
    private callingAeTitle = '';
    private folder: string | null = null;
    private instances = 0;
    private bytes = 0;
    private ended = false;
    /** The instance being written, until it is acknowledged or refused. */
    private writing: WriteStream | null = null;
    private readonly host: string;

    constructor(socket: Socket) {
      super(socket, { associationTimeout: idleTimeoutMs, pduTimeout: idleTimeoutMs });
      this.host = normaliseHost(socket.remoteAddress ?? '');
      socket.once('close', () => this.dropped('the connection closed before the association was released'));
    }

    override associationRequested(association: Association): void {
      this.callingAeTitle = association.getCallingAeTitle().trim();
      const calledAeTitle = association.getCalledAeTitle().trim();
      const refuse = (reason: number, words: string) => {
        onEvent({ kind: 'association-rejected', callingAeTitle: this.callingAeTitle, host: this.host, reason: words });
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, reason);
      };
      if (calledAeTitle !== config.aeTitle) return refuse(RejectReason.CalledAeNotRecognized, `called AE title "${calledAeTitle}" is not this listener's ("${config.aeTitle}")`);
      const allowed = config.allowed.some((caller) => caller.aeTitle === this.callingAeTitle && caller.host === this.host);
      if (!allowed) return refuse(RejectReason.CallingAeNotRecognized, `calling AE title "${this.callingAeTitle}" from ${this.host} is not in the allowed list`);
      const refusedSopClasses: string[] = [];
      for (const proposed of association.getPresentationContexts()) {
        const context = association.getPresentationContext(proposed.id);
        const abstractSyntax = context.getAbstractSyntaxUid();
        if (abstractSyntax !== SopClass.Verification && !ACCEPTED_STORAGE_CLASSES.includes(abstractSyntax)) {
          refusedSopClasses.push(abstractSyntax);
          context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
          continue;
        }
        const offered = context.getTransferSyntaxUids();
        const chosen = ACCEPTED_TRANSFER_SYNTAXES.find((uid) => offered.includes(uid));
        if (chosen) context.setResult(PresentationContextResult.Accept, chosen);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      onEvent({ kind: 'association-accepted', callingAeTitle: this.callingAeTitle, host: this.host, refusedSopClasses });
      this.sendAssociationAccept();
    }

    override cEchoRequest(request: Parameters<InstanceType<typeof Scp>['cEchoRequest']>[0], callback: Parameters<InstanceType<typeof Scp>['cEchoRequest']>[1]): void {
      onEvent({ kind: 'echo', callingAeTitle: this.callingAeTitle });
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    /** The association's folder, made at its first instance: received/<time>-<calling AE>-<pid>-<n>. */
    private batchFolder(): string {
      this.folder ??= newReceivedFolder(receivedRoot, this.callingAeTitle);
      return this.folder;
    }

    // Each instance goes straight to its file: the file meta first, then the data set's bytes as they arrive.
    override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): WriteStream {
      const path = join(this.batchFolder(), `${this.instances + 1}-${process.hrtime.bigint()}.partial`);
      const stream = createWriteStream(path);
      this.writing = stream;
      const transferSyntax = context.getAcceptedTransferSyntaxUid() ?? '1.2.840.10008.1.2';
      stream.write(part10Head(fileMeta(request.getAffectedSopClassUid(), request.getAffectedSopInstanceUid(), IMPLEMENTATION, transferSyntax)));
      return stream;
    }

    override createDatasetFromStoreWritableStream(writable: WriteStream, _context: PresentationContext, callback: (dataset: InstanceType<typeof dcmjsDimse.Dataset>) => void): void {
      // The request is answered once the file is whole on disk; the library's data set is not needed (the file is the data set).
      const done = () => callback(new dcmjsDimse.Dataset({ ReceivedFile: String(writable.path) }));
      if (writable.writableFinished) done();
      else writable.once('finish', done);
    }

    override cStoreRequest(request: CStoreRequest, callback: Parameters<InstanceType<typeof Scp>['cStoreRequest']>[1]): void {
      const response = CStoreResponse.fromRequest(request);
      this.writing = null;
      const partial = String((request.getDataset()?.getElements() as { ReceivedFile?: string } | undefined)?.ReceivedFile ?? '');
      const refuse = (status: number, reason: string) => {
        if (partial) rmSync(partial, { force: true });
        onEvent({ kind: 'instance-refused', callingAeTitle: this.callingAeTitle, reason, status });
        response.setStatus(status);
        callback(response);
      };
      if (!ACCEPTED_STORAGE_CLASSES.includes(request.getAffectedSopClassUid())) return refuse(Status.SopClassNotSupported, `SOP class ${request.getAffectedSopClassUid()} is not accepted`);
      if (!partial) return refuse(Status.ProcessingFailure, 'the data set was not written');
      const read = readInstanceHeader(partial);
      if (read.kind !== 'instance') return refuse(CANNOT_UNDERSTAND, read.kind === 'rejected' ? read.reason : 'a DICOMDIR is not an image');
      if (!read.header.hasPixelData) return refuse(Status.DataSetSopClassMismatch, 'an image storage data set without pixel data');
      if (!encapsulatedPixelDataIsWhole(partial, read.header)) return refuse(CANNOT_UNDERSTAND, 'truncated inside the encapsulated pixel data (no sequence delimiter)');
      if (read.header.sopInstanceUid !== request.getAffectedSopInstanceUid() || read.header.sopClassUid !== request.getAffectedSopClassUid()) {
        return refuse(Status.DataSetSopClassMismatch, 'the data set\'s SOP class or instance differs from the request\'s');
      }
      const whole = partial.replace(/\.partial$/, '.dcm');
      renameSync(partial, whole);
      this.instances += 1;
      this.bytes += read.header.fileSize;
      response.setStatus(Status.Success);
      callback(response);
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
      if (this.ended) return;
      this.ended = true;
      const batch = this.batch();
      onEvent({ kind: 'association-released', batch });
      if (batch.instances === 0) {
        if (this.folder) rmSync(this.folder, { recursive: true, force: true });
        return;
      }
      imports = imports.then(() => options.importBatch(batch));
    }

    override abort(_source: number, _reason: number): void {
      this.dropped('the sender aborted the association');
    }

    /**
     * The association ended without a release: nothing is imported, whole instances are held, a partial one is deleted
     * once its stream has closed (a stream still opening would otherwise create its file after the deletion).
     */
    private dropped(reason: string): void {
      if (this.ended) return;
      this.ended = true;
      const folder = this.folder;
      if (!folder) return;
      const partial = this.writing;
      this.writing = null;
      const hold = () => {
        const batch = this.batch();
        // The one instance not acknowledged is the one being written: its file goes.
        if (partial) rmSync(String(partial.path), { force: true });
        writeFileSync(join(folder, HELD_MARKER), `Held, not imported: ${reason}. ${batch.instances} whole instance(s) from ${this.callingAeTitle}.\n`);
        onEvent({ kind: 'association-aborted', batch, reason });
      };
      if (partial && !partial.closed) {
        partial.once('close', hold);
        // The library may still write the rest of a PDU into it: those writes fail, and are meant to.
        partial.on('error', () => undefined);
        partial.destroy();
      } else hold();
    }

    private batch(): ReceivedBatch {
      return { folder: this.folder ?? '', callingAeTitle: this.callingAeTitle, instances: this.instances, bytes: this.bytes };
    }
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const scp = new ListenerScp(socket);
    // dcmjs-dimse's own Server marks an accepted socket as connected; the timers follow from it.
    (scp as unknown as { connected: boolean }).connected = true;
    scp.on('networkError', () => socket.destroy());
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', (error: NodeJS.ErrnoException) => rejectListen(new Error(error.code === 'EADDRINUSE' ? `Port ${config.port} is in use: choose another with --port.` : `The listener could not start: ${error.message}`)));
    server.listen(config.port, config.address, () => resolveListen());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : config.port,
    async close() {
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
      });
      await imports;
    },
  };
}

/** Who wrote each received file's meta (the data set is the sender's, byte for byte). */
const IMPLEMENTATION = { classUid: uidFromText('LesionTrack DICOM listener'), versionName: 'LESIONTRACK_1' };

/** "::ffff:127.0.0.1" (an IPv4 caller on a dual-stack socket) as "127.0.0.1". */
function normaliseHost(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
