/**
 * The offline review over the API and the command line alike: main/review/ (export, import, answer, import of the
 * answer, each verified whole and recorded in the trail by the acting person) behind the contract's wire views.
 * Files travel as bytes: the service takes and gives them in base64 with a file name, so the UI in browser mode can
 * offer a download and the CLI writes them where it is told.
 */
import type { HandlerInput, MethodName, MethodOutput } from '../../shared/api/contract.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { fileSlug } from '../export/final.js';
import { sha256Hex } from '../findings/content.js';
import type { Acting } from '../people/acting.js';
import { answerReview } from '../review/answer.js';
import { importReviewAnswer } from '../review/answer-import.js';
import { importReviewPackage } from '../review/import.js';
import { exportReviewPackage, type ExportRecord } from '../review/package.js';
import type { Workspace } from '../store/db.js';

type Act<M extends MethodName> = (input: HandlerInput<M>, acting: Acting) => MethodOutput<M>;

/** The API's ReviewService, synchronous (better-sqlite3 is): what the CLI calls too. */
export interface ReviewCommands {
  export: Act<'review.export'>;
  import: Act<'review.import'>;
  list: (input: HandlerInput<'review.list'>) => MethodOutput<'review.list'>;
  answer: Act<'review.answer'>;
  importAnswer: Act<'review.importAnswer'>;
}

/** Exported packages listed at most (the trail keeps every one). */
const EXPORTS_LISTED = 1000;

export const packageFileName = (engagementName: string, packageId: string): string =>
  `review-${fileSlug(engagementName) || 'engagement'}-${packageId.slice(0, 8)}.foureyes-review.json`;

export const answerFileName = (packageId: string, answerId: string): string =>
  `answer-${packageId.slice(0, 8)}-${answerId.slice(0, 8)}.foureyes-review-answer.json`;

/** The bytes of a base64 the contract checked (its alphabet); a length that cannot be base64 is refused here. */
function fileBytes(base64: string, what: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, ''))
    throw new FoureyesError('bad_input', `the ${what} is not valid base64 (its length or padding is wrong)`);
  return bytes;
}

const json = <T>(text: string | null): T | null => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

export function reviewService(ws: Workspace): ReviewCommands {
  return {
    export: ({ engagementId, findingIds }, acting) => {
      const engagement = ws.engagements.require(engagementId);
      const out = exportReviewPackage(ws, acting, { engagementId, ...(findingIds ? { findingIds } : {}) });
      return {
        packageId: out.id,
        fileName: packageFileName(engagement.name, out.id),
        contentBase64: out.bytes.toString('base64'),
        sha256: sha256Hex(out.bytes),
        findings: out.findings,
      };
    },

    import: ({ contentBase64 }, acting) =>
      importReviewPackage(ws, fileBytes(contentBase64, 'review package'), { acting }),

    list: () => {
      const received = ws.reviewPackages.list().map((p) => ({
        ...p,
        state: p.answer ? ('answered' as const) : ('to_answer' as const),
      }));
      const answers = new Map<
        string,
        { id: string; at: string; reviewer: string; applied: number; refused: number }
      >();
      for (const e of ws.audit.forAction('review.answer_import', EXPORTS_LISTED * 10)) {
        const d = json<{
          packageId?: string;
          reviewer?: { name?: string };
          applied?: unknown[];
          refused?: unknown[];
        }>(e.details);
        if (!d?.packageId || answers.has(d.packageId)) continue;
        answers.set(d.packageId, {
          id: e.object_id,
          at: e.at,
          reviewer: d.reviewer?.name ?? e.actor_name,
          applied: d.applied?.length ?? 0,
          refused: d.refused?.length ?? 0,
        });
      }
      const exported = ws.audit.forAction('review.export', EXPORTS_LISTED).map((e) => {
        const d = json<Partial<ExportRecord>>(e.details);
        const engagementId = d?.engagementId ?? '';
        const answer = answers.get(e.object_id) ?? null;
        return {
          id: e.object_id,
          at: e.at,
          by: e.actor_name,
          engagementId,
          engagementName: ws.engagements.get(engagementId)?.name ?? null,
          sha256: d?.packageSha256 ?? '',
          findings: d?.findings?.length ?? 0,
          state: answer ? ('answered' as const) : ('awaiting_answer' as const),
          answer,
        };
      });
      return { received, exported };
    },

    answer: ({ packageId, decisions }, acting) => {
      const out = answerReview(
        ws,
        acting,
        packageId,
        decisions.map((d) => ({
          findingId: d.findingId,
          decision: d.decision,
          ...(d.comment !== undefined ? { comment: d.comment } : {}),
        })),
      );
      return {
        answerId: out.id,
        packageId,
        fileName: answerFileName(packageId, out.id),
        contentBase64: out.bytes.toString('base64'),
        sha256: sha256Hex(out.bytes),
        decisions: out.decisions,
      };
    },

    importAnswer: ({ contentBase64 }, acting) =>
      importReviewAnswer(ws, acting, fileBytes(contentBase64, 'review answer')),
  };
}
