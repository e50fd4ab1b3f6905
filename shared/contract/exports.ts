// The exports area of the contract: the files for the trial database, in
// each format, of the reads asked for (docs/EXPORTS.md).
import { z } from 'zod';

export const ExportFormatSchema = z.enum(['counts-csv', 'sdtm', 'redcap', 'odm', 'dicom-sr']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * Which reads an export holds: only the signed ones; all of them, refused
 * while any is unsigned; or all of them in a file marked preliminary.
 */
export const ExportReadsSchema = z.enum(['signed', 'all', 'preliminary']);
export type ExportReads = z.infer<typeof ExportReadsSchema>;

/** REDCap: the project's event and field names in place of the defaults (visit code -> event, default field -> field). */
const redcapName = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'REDCap names are lower case letters, digits and _');
export const RedcapMappingSchema = z.strictObject({
  events: z.record(z.string().max(16), redcapName).optional(),
  fields: z.record(z.string().max(64), redcapName).optional(),
});
export type RedcapMapping = z.infer<typeof RedcapMappingSchema>;

export const ExportFiles = z.strictObject({
  files: z.array(
    z.strictObject({
      /** A relative path: a file name, or "folder/name" for formats that write many files. */
      name: z.string(),
      mediaType: z.string(),
      /** Text as it is, binary files (DICOM) as base64. */
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  ),
});

export const exportRequests = {
  exportFiles: { changes: true, request: z.strictObject({ format: ExportFormatSchema, reads: ExportReadsSchema, redcapMapping: RedcapMappingSchema.optional() }), response: ExportFiles },
} as const;
