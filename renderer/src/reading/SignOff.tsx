// Sign-off of a read: the reader's own secret, as an electronic signature
// with its meaning; what must be done first, if anything, each lesion entry
// going to the lesion; and unlocking, with a reason.
import { useState } from 'react';
import type { ReadReadiness, SignatureView } from '../../../shared/contract';
import { client } from '../api';
import type { ReadKey } from '../queries';
import { changeSignature } from './reading-queries';

/** Sign-off of this read: the reader's own secret, as an electronic signature with its meaning; what must be done first, if anything. */
export function SignOff({ read, signature, readiness, onJump }: { read: ReadKey; signature: SignatureView | null; readiness: ReadReadiness | null; onJump: (lesionId: number) => void }) {
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const problems = signature ? [] : (readiness?.problems ?? []);
  const whyNot = problems.length > 0 ? `Not ready to sign: ${problems.map((problem) => problem.message).join(' ')}` : secret === '' ? 'Give your secret to sign.' : undefined;
  const signOff = (request: () => Promise<unknown>) => {
    setSecret('');
    setReason('');
    void changeSignature(read, request);
  };
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
      <div className="inline-form">
        <input type="password" aria-label="Your secret" data-testid="sign-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
        {signature && <input className="reason" aria-label="Reason to unlock" placeholder="Reason to unlock" value={reason} onChange={(event) => setReason(event.target.value)} />}
        {signature ? (
          <button type="button" disabled={secret === '' || reason.trim() === ''} onClick={() => signOff(() => client.unlockRead({ ...read, secret, reason: reason.trim() }))}>
            Unlock
          </button>
        ) : (
          <button type="button" className="primary" data-testid="sign" disabled={whyNot !== undefined} title={whyNot} onClick={() => signOff(() => client.signRead({ ...read, secret }))}>
            Sign: I confirm this read
          </button>
        )}
      </div>
    </section>
  );
}
