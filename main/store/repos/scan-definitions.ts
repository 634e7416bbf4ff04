/**
 * What a scan ran beyond the built-in catalogue (schema 0013): the definitions of its check-pack and tailored
 * checks, by digest, and the attestation answers its evaluation used. Written with the scan, before any host is
 * evaluated; read back, validated, by the scan export (main/export/scan-json.ts).
 */
import type { z } from 'zod';
import { CheckSchema, type Check } from '../../../shared/checks/schema.js';
import type { StoreContext } from '../context.js';
import { readEnum, readJson } from '../json.js';

/** Where a definition that is not the built-in one comes from. */
export const DEFINITION_ORIGINS = ['pack', 'tailored'] as const;
export type DefinitionOrigin = (typeof DEFINITION_ORIGINS)[number];

export interface ScanCheckDefinition {
  checkId: string;
  digest: string;
  origin: DefinitionOrigin;
  /** The check as the scan ran it (without its scenarios, which do not decide anything). */
  definition: Check;
}

export interface ScanAnswer {
  checkId: string;
  answer: 'yes' | 'no' | 'not_applicable';
  note: string;
  by: string;
  at: string;
}

const ANSWERS = ['yes', 'no', 'not_applicable'] as const;

interface CheckRow {
  scan_id: string;
  digest: string;
  check_id: string;
  origin: string;
  definition: string;
}

interface AnswerRow {
  scan_id: string;
  check_id: string;
  answer: string;
  note: string;
  answered_by_name: string;
  answered_at: string;
}

const DefinitionColumn = CheckSchema as unknown as z.ZodType<Check>;

export class ScanDefinitionsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Records the definitions (one per digest; a digest given twice is kept once). Call with the scan's creation. */
  insertChecks(scanId: string, defs: readonly ScanCheckDefinition[]): void {
    const stmt = this.ctx.sql(
      `INSERT INTO scan_check (scan_id, digest, check_id, origin, definition) VALUES (@scanId, @digest, @checkId, @origin, @definition)
       ON CONFLICT (scan_id, digest) DO NOTHING`,
    );
    for (const d of defs) {
      const { scenarios: _s, ...definition } = d.definition;
      stmt.run({ scanId, digest: d.digest, checkId: d.checkId, origin: d.origin, definition: JSON.stringify(definition) });
    }
  }

  /** Records the attestation answers the scan's evaluation uses. */
  insertAnswers(scanId: string, answers: readonly ScanAnswer[]): void {
    const stmt = this.ctx.sql(
      `INSERT INTO scan_answer (scan_id, check_id, answer, note, answered_by_name, answered_at)
       VALUES (@scanId, @checkId, @answer, @note, @by, @at) ON CONFLICT (scan_id, check_id) DO NOTHING`,
    );
    for (const a of answers) stmt.run({ scanId, checkId: a.checkId, answer: a.answer, note: a.note, by: a.by, at: a.at });
  }

  /** The scan's stored definitions, by check id then digest; each validated as a check. */
  checks(scanId: string): ScanCheckDefinition[] {
    return this.ctx
      .sql<[string], CheckRow>('SELECT * FROM scan_check WHERE scan_id = ? ORDER BY check_id, digest')
      .all(scanId)
      .map((r) => {
        const where = (column: string) => ({ table: 'scan_check', id: `${r.scan_id}/${r.digest}`, column });
        return {
          checkId: r.check_id,
          digest: r.digest,
          origin: readEnum(this.ctx, DEFINITION_ORIGINS, r.origin, where('origin')),
          definition: readJson(this.ctx, DefinitionColumn, r.definition, where('definition')),
        };
      });
  }

  /** The answers the scan's evaluation used, by check id. */
  answers(scanId: string): ScanAnswer[] {
    return this.ctx
      .sql<[string], AnswerRow>('SELECT * FROM scan_answer WHERE scan_id = ? ORDER BY check_id')
      .all(scanId)
      .map((r) => ({
        checkId: r.check_id,
        answer: readEnum(this.ctx, ANSWERS, r.answer, { table: 'scan_answer', id: `${r.scan_id}/${r.check_id}`, column: 'answer' }),
        note: r.note,
        by: r.answered_by_name,
        at: r.answered_at,
      }));
  }
}
