// The adjudicator's call on a read the two readers differ on: reader 1's
// count, reader 2's or their own, with a reason, signed with their secret;
// the call once signed; and its reopening with a reason, to decide it again.
// Main checks everything again (reads/adjudication.ts); the forms only say
// what is missing before they ask. Used on the Double reads screen and in
// the adjudicator's reading room.
import { useState } from 'react';
import type { AdjudicationCall, ReadKey, SignedCall } from '../../../shared/contract';
import { client } from '../api';
import { useAction } from '../use-loaded';
import { ErrorNotice } from './ErrorNotice';
import { SaveButton, WhyNot } from './WhyNot';

type Choice = AdjudicationCall['choice'];

const CHOICE_WORDS: Readonly<Record<SignedCall['choice'], string>> = { reader1: "reader 1's count", reader2: "reader 2's count", adjudicator: 'their own count' };

/** A signed call: who decided, which count and why. */
export function SignedCallNote({ call }: { call: SignedCall }) {
  return (
    <p data-testid="call">
      Decided by {call.adjudicator}: {CHOICE_WORDS[call.choice]}, {call.newOrEnlarging} ({call.new} new, {call.enlarging} enlarging). “{call.reason}”
    </p>
  );
}

const wholeCount = (text: string) => (/^\d{1,3}$/.test(text.trim()) ? Number(text) : null);

export function CallForm({ read, counts, onCalled }: { read: ReadKey; counts: { reader1: number; reader2: number }; onCalled: () => void }) {
  const [choice, setChoice] = useState<Choice | null>(null);
  const [own, setOwn] = useState({ new: '', enlarging: '' });
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState('');
  const { act, actionError } = useAction(onCalled);
  const ownCounts = { new: wholeCount(own.new), enlarging: wholeCount(own.enlarging) };
  const call: AdjudicationCall | null =
    choice === 'adjudicator' ? (ownCounts.new !== null && ownCounts.enlarging !== null ? { choice, new: ownCounts.new, enlarging: ownCounts.enlarging } : null) : choice && { choice };
  const blockers = [
    ...(choice === null ? ["Choose reader 1's count, reader 2's or your own."] : []),
    ...(choice === 'adjudicator' && call === null ? ['Give your own counts of new and of enlarging lesions, as whole numbers.'] : []),
    ...(reason.trim() === '' ? ['Give the reason for your call: it is signed with it.'] : []),
    ...(secret === '' ? ['Give your secret to sign the call.'] : []),
  ];
  const name = `${read.visitCode}-${read.region}`;

  // A secret is given for one signature only, accepted or refused.
  const sign = () => act(() => client.adjudicate({ ...read, call: call!, reason: reason.trim(), secret }).finally(() => setSecret('')));

  const option = (value: Choice, label: string) => (
    <label>
      <input type="radio" name={`call-${name}`} data-testid={`call-${value}`} checked={choice === value} onChange={() => setChoice(value)} /> {label}
    </label>
  );
  return (
    <fieldset className="call-form" data-testid="call-form">
      <legend>Your call on this read</legend>
      {option('reader1', `Reader 1's count (${counts.reader1})`)}
      {option('reader2', `Reader 2's count (${counts.reader2})`)}
      {option('adjudicator', 'My own count:')}
      <label>
        <input data-testid="call-new" size={3} value={own.new} disabled={choice !== 'adjudicator'} onChange={(event) => setOwn({ ...own, new: event.target.value })} /> new
      </label>
      <label>
        <input data-testid="call-enlarging" size={3} value={own.enlarging} disabled={choice !== 'adjudicator'} onChange={(event) => setOwn({ ...own, enlarging: event.target.value })} /> enlarging
      </label>
      <div className="inline-form">
        <input className="reason" aria-label="Reason for the call" data-testid="call-reason" placeholder="Why (required; signed with the call)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <input type="password" aria-label="Your secret" data-testid="call-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
        <SaveButton testId="sign-call" blockers={blockers} onSave={() => void sign()}>
          Sign the call
        </SaveButton>
      </div>
      {choice !== null && <WhyNot reasons={blockers} />}
      {actionError && <ErrorNotice title="The call was not signed" message={actionError} />}
    </fieldset>
  );
}

/** Reopens a signed call (an unlock of the final read, with a reason), so that the adjudicator can decide it again. */
export function ReopenCall({ read, onReopened }: { read: ReadKey; onReopened: () => void }) {
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState('');
  const { act, actionError } = useAction(onReopened);
  const blockers = [...(reason.trim() === '' ? ['Give the reason for reopening the call: it goes into the audit trail.'] : []), ...(secret === '' ? ['Give your secret.'] : [])];
  const reopen = () => act(() => client.unlockRead({ ...read, reason: reason.trim(), secret }).finally(() => setSecret('')));

  return (
    <details className="reopen-call" data-testid="reopen-call">
      <summary>Reopen this call</summary>
      <div className="inline-form">
        <input className="reason" aria-label="Reason for reopening" data-testid="reopen-reason" placeholder="Why (required; kept in the audit trail)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <input type="password" aria-label="Your secret" data-testid="reopen-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
        <SaveButton testId="reopen" blockers={blockers} onSave={() => void reopen()}>
          Reopen
        </SaveButton>
      </div>
      {actionError && <ErrorNotice title="The call was not reopened" message={actionError} />}
    </details>
  );
}
