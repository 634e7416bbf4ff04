/**
 * The hand-over exports as they cross the API (main/services/exports.ts over main/export/): one call builds one
 * export of an engagement in one format and gives its bytes in base64 with a file name and media type, so the UI
 * offers it as a download in both transports; the CLI (`foureyes export`) writes the same bytes to a path.
 */
import { z } from 'zod';
import { IdSchema } from './common.js';

/** The formats the API builds, each one file: the Confluence bundle travels as its zip. */
export const API_EXPORT_FORMATS = ['confluence', 'html', 'pdf', 'jira-csv', 'sarif', 'junit', 'ohdf', 'json'] as const;
export type ApiExportFormat = (typeof API_EXPORT_FORMATS)[number];

/** Who the report (html, pdf) is written for: one page of posture, findings by owner and date, or every check. */
export const REPORT_AUDIENCES = ['executive', 'manager', 'engineer'] as const;
export type ReportAudience = (typeof REPORT_AUDIENCES)[number];

export const ExportBuildInputSchema = z.strictObject({
  engagementId: IdSchema,
  format: z.enum(API_EXPORT_FORMATS, {
    error: (iss) => `Format must be one of ${API_EXPORT_FORMATS.join(', ')}${iss.input === undefined ? '' : ` (got ${JSON.stringify(String(iss.input).slice(0, 40))})`}.`,
  }),
  /** The scan of the per-scan formats and of the bundle's host pages; default the engagement's newest. */
  scanId: IdSchema.optional(),
  /** Refused while a finding is not approved or has an approval that does not verify, naming them. */
  final: z.boolean().default(false),
  /** html and pdf: who the report is for. */
  audience: z
    .enum(REPORT_AUDIENCES, { error: `Audience must be one of ${REPORT_AUDIENCES.join(', ')}.` })
    .default('engineer'),
});

export const ExportBuildResultSchema = z.object({
  format: z.enum(API_EXPORT_FORMATS),
  fileName: z.string(),
  mediaType: z.string(),
  contentBase64: z.string(),
  sha256: z.string(),
  size: z.number().int().min(0),
  final: z.boolean(),
  /** The scan exported (null for an engagement without scans, which only the JSON and the bundle allow). */
  scanId: z.string().nullable(),
  /** What the export holds, in words ("12 pages, 3 attachments"). */
  summary: z.string(),
  /** Approved findings a final export left out because their approvals do not verify, with why. */
  leftOut: z.array(z.object({ findingId: z.string(), title: z.string(), reason: z.string() })),
});
