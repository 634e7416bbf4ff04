/** The machine-readable export formats. No dependency: `assess --format` checks the name before anything loads. */
export const EXPORT_FORMATS = ['sarif', 'junit', 'ohdf', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);

/** Formats of a whole engagement only (`foureyes export`; not `assess --format`): the CSV for Jira's importer. */
export const ENGAGEMENT_EXPORT_FORMATS = ['jira-csv'] as const;
export type EngagementExportFormat = (typeof ENGAGEMENT_EXPORT_FORMATS)[number];

export const isEngagementExportFormat = (s: string): s is EngagementExportFormat =>
  (ENGAGEMENT_EXPORT_FORMATS as readonly string[]).includes(s);
