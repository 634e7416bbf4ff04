/**
 * The questions no command can answer (attestation checks) for the open engagement: each with what to ask to see,
 * and the current answer (who, when, the note). A signed-in person answers yes, no or not applicable with a note
 * saying what they saw or who told them; main signs the answer into the audit trail, and it decides that check on
 * every host of the engagement's later scans.
 */
import { useEffect, useState, type JSX } from 'react';
import type { AttestationItem } from '../../../shared/api/schemas/attestations.js';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { needsPerson } from '../store/session.js';
import '../styles/access.css';

const ANSWER_TEXT = { yes: 'Yes', no: 'No', not_applicable: 'Not applicable' } as const;
type Answer = keyof typeof ANSWER_TEXT;

function Question({
  q,
  engagementId,
  signedIn,
}: {
  q: AttestationItem;
  engagementId: string;
  signedIn: boolean;
}): JSX.Element {
  const answerQuestion = useStore((s) => s.answerQuestion);
  const [answer, setAnswer] = useState<Answer>(q.attestation?.answer ?? q.pass);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const a = q.attestation;
  const outcome =
    a === null
      ? 'unanswered'
      : a.answer === 'not_applicable'
        ? 'not_applicable'
        : a.answer === q.pass
          ? 'pass'
          : 'fail';
  return (
    <article className="panel question" data-testid="question" data-check={q.checkId} data-outcome={outcome}>
      <h2>{q.title}</h2>
      <p>
        <strong>{q.question}</strong>{' '}
        <span className="muted small">(the answer that passes: {ANSWER_TEXT[q.pass].toLowerCase()})</span>
      </p>
      {q.evidence && <p className="muted small">Ask to see: {q.evidence}</p>}
      <p data-testid="question-answer">
        {a === null ? (
          <span className="muted">Not answered yet: the check stays manual in the scans.</span>
        ) : (
          <>
            Answered <strong>{ANSWER_TEXT[a.answer]}</strong> by <SafeText text={a.answeredBy.name} /> on{' '}
            {formatTime(a.answeredAt)}: <SafeText text={a.note} />
          </>
        )}
      </p>
      {signedIn && (
        <form
          className="answer-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            setBusy(true);
            void answerQuestion({ engagementId, checkId: q.checkId, answer, note }).then((ok) => {
              setBusy(false);
              if (ok) setNote('');
            });
          }}
        >
          <select
            value={answer}
            onChange={(e) => setAnswer(e.target.value as Answer)}
            data-testid="question-choice"
          >
            {(Object.keys(ANSWER_TEXT) as Answer[]).map((k) => (
              <option key={k} value={k}>
                {ANSWER_TEXT[k]}
              </option>
            ))}
          </select>
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            required
            maxLength={4000}
            placeholder="What you saw, or who told you (shown in the report as the evidence)"
            data-testid="question-note"
          />
          <button type="submit" className="primary" disabled={busy} data-testid="question-submit">
            {a === null ? 'Answer' : 'Answer again'}
          </button>
        </form>
      )}
    </article>
  );
}

export function QuestionsScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const questions = useStore((s) => (s.questionsOf === engagementId ? s.questions : null));
  const error = useStore((s) => s.questionError);
  const load = useStore((s) => s.loadQuestions);
  const me = useStore((s) => s.me);
  useEffect(() => {
    if (engagementId) void load(engagementId);
  }, [engagementId, load]);
  const answered = questions?.filter((q) => q.attestation !== null).length ?? 0;
  return (
    <section className="screen questions-screen" data-testid="screen-questions">
      <header className="screen-head">
        <h1>Questions</h1>
        <span className="muted" data-testid="questions-count">
          {answered} of {questions?.length ?? 0} answered
        </span>
      </header>
      <p className="muted small">
        What no command can show: ask the customer, see the document or the process, and record what you saw.
        Each answer is signed into the audit trail and decides its check on every host of this engagement's
        later scans.
      </p>
      {!me && <p className="panel">{needsPerson('Answering a question')}</p>}
      {error && (
        <p className="panel error" role="alert" data-testid="question-error">
          <SafeText text={error} />
        </p>
      )}
      {engagementId &&
        questions?.map((q) => (
          <Question key={q.checkId} q={q} engagementId={engagementId} signedIn={me !== null} />
        ))}
    </section>
  );
}
