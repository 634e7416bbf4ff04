/** The machine-readable export formats. No dependency: `assess --format` checks the name before anything loads. */
export const EXPORT_FORMATS = ['sarif', 'junit', 'ohdf', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);
