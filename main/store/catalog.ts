// The catalog of imported DICOM: patients, studies, series and instances.
// All SQL goes through prepared statements.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { SeriesImage, SeriesReferences, SeriesSummary } from '../../shared/contract';
import { analyseStack, orderSlices } from '../../shared/geometry';
import { classifyOrientation, isLocalizer } from '../../shared/protocol';
import { type InstanceGeometry, reconstructable } from '../../shared/reconstructable';
import type { InstanceHeader } from '../dicom/header';
import type { Db } from './database';
import { preparedOnce } from './prepared';

export type StoreOutcome = 'added' | 'duplicate' | 'conflict';

export interface CatalogWriter {
  /** Stores one instance; an identical copy of a stored one is a duplicate, a different one a conflict. */
  add(header: InstanceHeader, filePath: string, importId: number): StoreOutcome;
  /** Series whose instances this writer added, for the summary. */
  readonly touchedSeries: ReadonlySet<number>;
}

export function createCatalogWriter(db: Db): CatalogWriter {
  const findPatient = db.prepare<[string], { id: number }>('SELECT id FROM patients WHERE patient_key = ?');
  const insertPatient = db.prepare(
    'INSERT INTO patients (patient_key, patient_id, patient_name, birth_date, sex) VALUES (@key, @patientId, @patientName, @birthDate, @sex)',
  );
  const findStudy = db.prepare<[string], { id: number }>('SELECT id FROM studies WHERE study_uid = ?');
  const insertStudy = db.prepare(
    `INSERT INTO studies (patient_ref, study_uid, study_date, study_time, description, accession_number)
     VALUES (@patientRef, @studyUid, @studyDate, @studyTime, @studyDescription, @accessionNumber)`,
  );
  const findSeries = db.prepare<[string, string], { id: number }>('SELECT id FROM series WHERE series_uid = ? AND stack_key = ?');
  const insertSeries = db.prepare(
    `INSERT INTO series (study_ref, series_uid, stack_key, modality, description, series_number, body_part, protocol_name, image_type)
     VALUES (@studyRef, @seriesUid, @stackKey, @modality, @seriesDescription, @seriesNumber, @bodyPart, @protocolName, @imageType)`,
  );
  const findInstance = db.prepare<[string], { header_sha256: string; file_size: number }>(
    'SELECT header_sha256, file_size FROM instances WHERE sop_instance_uid = ?',
  );
  const insertInstance = db.prepare(
    `INSERT INTO instances (series_ref, import_ref, sop_instance_uid, sop_class_uid, transfer_syntax, instance_number, frames,
       rows, columns, image_position, image_orientation, frame_positions, pixel_spacing, slice_thickness, has_pixel_data,
       file_path, file_size, header_sha256, header_length)
     VALUES (@seriesRef, @importRef, @sopInstanceUid, @sopClassUid, @transferSyntax, @instanceNumber, @frames,
       @rows, @columns, @imagePosition, @imageOrientation, @framePositions, @pixelSpacing, @sliceThickness, @hasPixelData,
       @filePath, @fileSize, @headerSha256, @headerLength)`,
  );
  const touchedSeries = new Set<number>();

  function idOf(found: { id: number } | undefined, insert: () => { lastInsertRowid: number | bigint }): number {
    return found ? found.id : Number(insert().lastInsertRowid);
  }

  return {
    touchedSeries,
    add(header, filePath, importId) {
      const existing = findInstance.get(header.sopInstanceUid);
      if (existing) {
        const same = existing.header_sha256 === header.headerSha256 && existing.file_size === header.fileSize;
        return same ? 'duplicate' : 'conflict';
      }
      const patientKey = `${header.patientId}\u0000${header.issuerOfPatientId}`;
      const patientRef = idOf(findPatient.get(patientKey), () => insertPatient.run({ ...header, key: patientKey }));
      const studyRef = idOf(findStudy.get(header.studyUid), () => insertStudy.run({ ...header, patientRef }));
      const stackKey = stackKeyOf(header);
      const seriesRef = idOf(findSeries.get(header.seriesUid, stackKey), () => insertSeries.run({ ...header, studyRef, stackKey }));
      insertInstance.run({
        seriesRef,
        importRef: importId,
        sopInstanceUid: header.sopInstanceUid,
        sopClassUid: header.sopClassUid,
        transferSyntax: header.transferSyntax,
        instanceNumber: header.instanceNumber,
        frames: header.frames,
        rows: header.rows,
        columns: header.columns,
        imagePosition: header.imagePosition?.join('\\') ?? null,
        imageOrientation: header.imageOrientation?.join('\\') ?? null,
        framePositions: header.framePositions ? JSON.stringify(header.framePositions) : null,
        pixelSpacing: header.pixelSpacing?.join('\\') ?? null,
        sliceThickness: header.sliceThickness,
        hasPixelData: header.hasPixelData ? 1 : 0,
        filePath,
        fileSize: header.fileSize,
        headerSha256: header.headerSha256,
        headerLength: header.headerLength,
      });
      touchedSeries.add(seriesRef);
      return 'added';
    },
  };
}

/**
 * Slices that can be read as one stack share an image size and a plane.
 * Orientation is rounded so that scanner rounding noise does not split a series.
 */
export function stackKeyOf(header: Pick<InstanceHeader, 'rows' | 'columns' | 'imageOrientation'>): string {
  const size = `${header.rows ?? '-'}x${header.columns ?? '-'}`;
  const orientation = header.imageOrientation?.map((value) => (Math.round(value * 100) / 100 + 0).toFixed(2)).join(',') ?? '';
  return `${size}|${orientation}`;
}

interface SeriesRow {
  id: number;
  series_uid: string;
  modality: string;
  description: string;
  series_number: number | null;
  instance_count: number;
  frame_count: number;
  image_count: number;
  rows: number | null;
  columns: number | null;
  study_uid: string;
  study_date: string;
  study_description: string;
  patient_id: string;
  subject_code: string | null;
  protocol_name: string;
  image_type: string;
  transfer_syntaxes: string;
}

/** The catalog's reads, asked at every request that lists series or streams an image. */
const queries = preparedOnce((db) => ({
  series: db.prepare<[], SeriesRow>(
    `SELECT s.id, s.series_uid, s.modality, s.description, s.series_number,
            COUNT(i.id) AS instance_count, COALESCE(SUM(i.frames), 0) AS frame_count,
            COALESCE(SUM(i.has_pixel_data), 0) AS image_count,
            MAX(i.rows) AS rows, MAX(i.columns) AS columns,
            st.study_uid, st.study_date, st.description AS study_description, p.patient_id,
            pa.subject_code, s.protocol_name, s.image_type,
            COALESCE(GROUP_CONCAT(DISTINCT i.transfer_syntax), '') AS transfer_syntaxes
       FROM series s
       JOIN studies st ON st.id = s.study_ref
       JOIN patients p ON p.id = st.patient_ref
       LEFT JOIN patient_links l ON l.patient_ref = p.id
       LEFT JOIN participants pa ON pa.id = l.participant_ref
       LEFT JOIN instances i ON i.series_ref = s.id
      GROUP BY s.id
      ORDER BY p.patient_id, st.study_date, st.study_uid, s.series_number, s.id`,
  ),
  imageRows: db.prepare<[number], InstanceGeometryRow>(
    `SELECT id, instance_number, frames, image_position, image_orientation, frame_positions, pixel_spacing, rows, columns
       FROM instances WHERE series_ref = ? AND has_pixel_data = 1 AND rows IS NOT NULL`,
  ),
  seriesExists: db.prepare<[number], { id: number }>('SELECT id FROM series WHERE id = ?'),
  seriesUids: db.prepare<[number], { series_uid: string; study_uid: string }>('SELECT s.series_uid, t.study_uid FROM series s JOIN studies t ON t.id = s.study_ref WHERE s.id = ?'),
  instanceUids: db.prepare<[number], { id: number; sop_class_uid: string; sop_instance_uid: string }>('SELECT id, sop_class_uid, sop_instance_uid FROM instances WHERE series_ref = ? ORDER BY id'),
  instanceFile: db.prepare<[number], StoredInstanceFile>(
    `SELECT file_path AS filePath, file_size AS fileSize, header_sha256 AS headerSha256, header_length AS headerLength
       FROM instances WHERE id = ?`,
  ),
}));

export function listSeries(db: Db): SeriesSummary[] {
  const rows = queries(db).series.all();
  return rows.map((row) => {
    const isImage = row.image_count > 0 && row.rows !== null;
    const instances = isImage ? imageRows(db, row.id) : [];
    const slices = orderedSlices(instances);
    const stack = analyseStack(slices);
    return {
      id: row.id,
      seriesUid: row.series_uid,
      modality: row.modality,
      description: row.description,
      seriesNumber: row.series_number,
      instanceCount: row.instance_count,
      frameCount: row.frame_count,
      rows: row.rows,
      columns: row.columns,
      studyUid: row.study_uid,
      studyDate: row.study_date,
      studyDescription: row.study_description,
      patientId: row.patient_id,
      subjectCode: row.subject_code,
      localizer: isLocalizer({ description: row.description, protocolName: row.protocol_name, imageType: row.image_type }),
      isImage,
      orientation: classifyOrientation(slices[0]?.orientation ?? null),
      spacing: stack.spacing,
      transferSyntaxes: row.transfer_syntaxes ? row.transfer_syntaxes.split(',').sort() : [],
      warnings: stack.warnings,
      reconstructable: isImage ? reconstructable(instances.map(geometryOf)) : { ok: false, reason: 'the series holds no images' },
    };
  });
}

function imageRows(db: Db, seriesId: number): InstanceGeometryRow[] {
  return queries(db).imageRows.all(seriesId);
}

interface InstanceGeometryRow {
  id: number;
  instance_number: number | null;
  frames: number;
  image_position: string | null;
  image_orientation: string | null;
  frame_positions: string | null;
  pixel_spacing: string | null;
  rows: number | null;
  columns: number | null;
}

interface Slice {
  instanceId: number;
  frame: number;
  instanceNumber: number | null;
  position: number[] | null;
  orientation: number[] | null;
  pixelSpacing: number[] | null;
  rows: number | null;
  columns: number | null;
}

type StoredGeometry = { [key in 'position' | 'orientation' | 'pixelSpacing']: number[] | null } & Omit<InstanceGeometry, 'position' | 'orientation' | 'pixelSpacing' | 'framePositions'> & { framePositions: number[][] | null };

/** An instance's geometry as its header gave it. */
function geometryOf(row: InstanceGeometryRow): StoredGeometry {
  return {
    position: parseVector(row.image_position),
    orientation: parseVector(row.image_orientation),
    pixelSpacing: parseVector(row.pixel_spacing),
    rows: row.rows,
    columns: row.columns,
    frames: row.frames,
    framePositions: row.frame_positions ? (JSON.parse(row.frame_positions) as number[][]) : null,
  };
}

/** Every frame of every image instance as a slice with its own position. */
function slicesOf(rows: InstanceGeometryRow[]): Slice[] {
  return [...rows]
    .sort((a, b) => a.id - b.id)
    .flatMap((row) => {
      const { position, orientation, pixelSpacing, framePositions } = geometryOf(row);
      return Array.from({ length: row.frames }, (_, index) => ({
        instanceId: row.id,
        frame: index + 1,
        instanceNumber: row.instance_number,
        position: framePositions?.[index] ?? (index === 0 ? position : null),
        orientation,
        pixelSpacing,
        rows: row.rows,
        columns: row.columns,
      }));
    });
}

/** Slices in reading order: by position along the slice normal where geometry allows. */
function orderedSlices(rows: InstanceGeometryRow[]): Slice[] {
  return orderSlices(slicesOf(rows).map((slice) => ({ item: slice, position: slice.position, orientation: slice.orientation, instanceNumber: slice.instanceNumber })));
}

/** The images of a series in reading order: by position along the slice normal where geometry allows. */
export function seriesImages(db: Db, seriesId: number): SeriesImage[] | null {
  const exists = queries(db).seriesExists.get(seriesId);
  if (!exists) return null;
  return orderedSlices(imageRows(db, seriesId)).map(({ instanceId, frame, instanceNumber, position, orientation, pixelSpacing, rows, columns }) => ({
    instanceId,
    frame,
    instanceNumber,
    position: position?.length === 3 ? (position as [number, number, number]) : null,
    orientation: orientation?.length === 6 ? orientation : null,
    pixelSpacing: pixelSpacing?.length === 2 ? (pixelSpacing as [number, number]) : null,
    rows,
    columns,
  }));
}

/** The DICOM identity of a series and its instances (UIDs only: no patient attributes). */
export function seriesReferences(db: Db, seriesId: number): SeriesReferences | null {
  const series = queries(db).seriesUids.get(seriesId);
  if (!series) return null;
  const instances = queries(db)
    .instanceUids.all(seriesId)
    .map((row) => ({ instanceId: row.id, sopClassUid: row.sop_class_uid, sopInstanceUid: row.sop_instance_uid }));
  return { seriesId, studyInstanceUid: series.study_uid, seriesInstanceUid: series.series_uid, instances };
}

function parseVector(value: string | null): number[] | null {
  if (!value) return null;
  const parts = value.split('\\').map(Number);
  return parts.every(Number.isFinite) ? parts : null;
}


export interface StoredInstanceFile {
  filePath: string;
  fileSize: number;
  headerSha256: string;
  headerLength: number;
}

export function instanceFile(db: Db, instanceId: number): StoredInstanceFile | null {
  return queries(db).instanceFile.get(instanceId) ?? null;
}

/** A moved, shortened or rewritten source file must never be shown as the imported image. */
export async function verifySourceFile(stored: StoredInstanceFile): Promise<string | null> {
  let size: number;
  try {
    size = (await stat(stored.filePath)).size;
  } catch {
    return 'The source file of this image is no longer where it was imported from (moved, renamed or on removed media). Re-import the folder.';
  }
  if (size !== stored.fileSize) return 'The source file of this image has changed since it was imported (different size). Re-import the folder.';
  const handle = await open(stored.filePath, 'r');
  try {
    const header = Buffer.alloc(stored.headerLength);
    await handle.read(header, 0, stored.headerLength, 0);
    const hash = createHash('sha256').update(header).digest('hex');
    if (hash !== stored.headerSha256) return 'The source file of this image has changed since it was imported (different header). Re-import the folder.';
  } finally {
    await handle.close();
  }
  return null;
}
