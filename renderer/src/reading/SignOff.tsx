// Sign-off of a read: the reader's own secret, as an electronic signature
// with its meaning; what must be done first, if anything, each lesion entry
// going to the lesion; how many of the read's candidates nobody reviewed,
// asked about before signing over them; and unlocking, with a reason.
import { useState } from 'react';
import type { ReadReadiness, SignatureView } from '../../../shared/contract';
import { client } from '../api';
import type { ReadKey } from '../queries';
import { changeSignature } from './reading-queries';

interface Props {
  read: ReadKey;
  signature: SignatureView | null;
  readiness: ReadReadiness | null;
  /** Candidates of the read nobody has confirmed or dismissed. */
  unreviewed: number;
  onJump: (lesionId: number) => void;
  /** Goes to the next unreviewed candidate. */
  onReviewCandidates: () => void;
}

const candidatesWord = (count: number) => `${count} candidate${count === 1 ? '' : 's'}`;

/**
 * Sign-off of this read: the reader's own secret, as an electronic signature with its meaning; what must be done first, if anything.
 * Unreviewed candidates do not stop a signature (they never count: the reader decides), but the reader is asked once before signing over them.
 */
export function SignOff({ read, signature, readiness, unreviewed, onJump, onReviewCandidates }: Props) {
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const problems = signature ? [] : (readiness?.problems ?? []);
  const whyNot = problems.length > 0 ? `Not ready to sign: ${problems.map((problem) => problem.message).join(' ')}` : secret === '' ? 'Give your secret to sign.' : undefined;
  const signOff = (request: () => Promise<unknown>) => {
    setSecret('');
    setReason('');
    setAsking(false);
    void changeSignature(read, request);
  };
  const sign = () => signOff(() => client.signRead({ ...read, secret }));
  return (
    <section className={signature ? 'sign-off signed' : 'sign-off'} data-testid="sign-off" data-signed={signature ? 'true' : 'false'}>
      {signature ? (
        <p>
          Signed by <strong>{signature.reader}</strong> at {signature.signedAt.replace('T', ' ').slice(0, 16)} UTC: “{signature.meaning}”. Locked.
        </p>
      ) : (
        <p className="muted">This {read.visitCode} read is not signed. Signing locks its lesions and counts.</p>
      )}
      {problems.length > 0 && (
        <ul className="sign-problems" data-testid="sign-problems">
          {problems.map((problem) => (
            <li key={problem.message} data-testid="sign-problem" data-kind={problem.kind}>
              {problem.lesionId === null ? (
                problem.message
              ) : (
                <button type="button" className="link" data-testid="jump-to-lesion" onClick={() => onJump(problem.lesionId!)} title="Go to this lesion">
                  {problem.message}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!signature && unreviewed > 0 && (
        <p className="warn-text" data-testid="sign-candidates">
          {candidatesWord(unreviewed)} of this read not reviewed yet (assisted detection).
        </p>
      )}
      {asking && (
        <div className="sign-question" role="alertdialog" aria-label="Sign over unreviewed candidates?" data-testid="sign-question">
          <p>
            {candidatesWord(unreviewed)} {unreviewed === 1 ? 'is' : 'are'} not reviewed. Unreviewed candidates are not counted: sign without them?
          </p>
          <div className="inline-form">
            <button type="button" className="primary" data-testid="sign-anyway" onClick={sign}>
              Sign anyway
            </button>
            <button
              type="button"
              data-testid="sign-review"
              onClick={() => {
                setAsking(false);
                onReviewCandidates();
              }}
            >
              Review them first
            </button>
          </div>
        </div>
      )}
      <div className="inline-form">
        <input type="password" aria-label="Your secret" data-testid="sign-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
        {signature && <input className="reason" aria-label="Reason to unlock" placeholder="Reason to unlock" value={reason} onChange={(event) => setReason(event.target.value)} />}
        {signature ? (
          <button type="button" disabled={secret === '' || reason.trim() === ''} onClick={() => signOff(() => client.unlockRead({ ...read, secret, reason: reason.trim() }))}>
            Unlock
          </button>
        ) : (
          <button type="button" className="primary" data-testid="sign" disabled={whyNot !== undefined} title={whyNot} onClick={() => (unreviewed > 0 ? setAsking(true) : sign())}>
            Sign: I confirm this read
          </button>
        )}
      </div>
    </section>
  );
}
