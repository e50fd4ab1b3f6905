// Who is reading: every record and audit entry carries the reader chosen
// here, who proves it with their own secret (kept only as a salted scrypt
// hash in main). A first reader profile can be made here too. When main
// says the session is locked (idle past the trial's limit), this asks the
// reader for their secret again.
import { type FormEvent, useEffect, useState } from 'react';
import { ReaderRoleSchema, type ReaderView } from '../../../shared/contract';
import { client, onSessionLocked } from '../api';
import { errorMessage } from '../format';
import { queryClient, queryKeys } from '../queries';
import { useReaders } from '../reading/reading-queries';

type Role = ReaderView['role'];

export function ReaderBar() {
  const readersQuery = useReaders();
  const { readers = [], current = null, locked = false } = readersQuery.data ?? {};
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A locked session (said by main at load, or by any refused change) opens the dialog to ask for the secret.
  useEffect(() => {
    if (locked) setOpen(true);
  }, [locked]);
  useEffect(() => onSessionLocked(() => void queryClient.invalidateQueries({ queryKey: queryKeys.readers })), []);

  /** Runs a choice or a new profile; on success the dialog closes and everyone sees who reads now. */
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      setError(null);
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.readers });
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    }
  }

  return (
    <div className="reader-bar">
      <button type="button" data-testid="reader" data-locked={locked} onClick={() => setOpen((value) => !value)} title="Who is reading">
        {current ? `${current.name} · ${locked ? 'locked' : current.role.replace('_', ' ')}` : 'Choose reader'}
      </button>
      {open && (
        <div className="reader-dialog" role="dialog" aria-label="Reader">
          {locked && current && (
            <p className="warn-text" role="alert" data-testid="session-locked">
              Idle for too long: {current.name}, give your secret to go on. Nothing was changed in the meantime.
            </p>
          )}
          {readers.length > 0 && <ChooseReader readers={readers} current={current} run={run} />}
          <NewReader run={run} />
          {(error ?? readersQuery.error) && <p className="warn-text">{error ?? errorMessage(readersQuery.error)}</p>}
        </div>
      )}
    </div>
  );
}

type Run = (action: () => Promise<unknown>) => Promise<boolean>;

/** A profile and its secret: whoever reads now is offered first. */
function ChooseReader({ readers, current, run }: { readers: readonly ReaderView[]; current: ReaderView | null; run: Run }) {
  const [readerId, setReaderId] = useState(current?.id ?? readers[0]!.id);
  const [secret, setSecret] = useState('');
  function choose(event: FormEvent) {
    event.preventDefault();
    void run(() => client.chooseReader({ readerId, secret })).then((done) => done && setSecret(''));
  }
  return (
    <form className="inline-form" onSubmit={choose}>
      <select aria-label="Reader" value={readerId} onChange={(event) => setReaderId(Number(event.target.value))}>
        {readers.map((reader) => (
          <option key={reader.id} value={reader.id}>
            {reader.name} ({reader.role.replace('_', ' ')})
          </option>
        ))}
      </select>
      <input type="password" aria-label="Secret" data-testid="reader-secret" placeholder="Your secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
      <button type="submit" className="primary" data-testid="choose-reader" disabled={secret === ''}>
        Read as
      </button>
    </form>
  );
}

/** A new profile, chosen at once. */
function NewReader({ run }: { run: Run }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [secret, setSecret] = useState('');
  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const made = await client.createReader({ name: name.trim(), role, secret });
      await client.chooseReader({ readerId: made.id, secret });
    }).then((done) => done && (setName(''), setSecret('')));
  }
  return (
    <form className="inline-form" onSubmit={create}>
      <input aria-label="New reader's name" data-testid="new-reader-name" placeholder="New reader's name" value={name} onChange={(event) => setName(event.target.value)} />
      <select aria-label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
        {ReaderRoleSchema.options.map((option) => (
          <option key={option} value={option}>
            {option.replace('_', ' ')}
          </option>
        ))}
      </select>
      <input type="password" aria-label="New reader's secret" data-testid="new-reader-secret" placeholder="Secret (8+ characters)" value={secret} onChange={(event) => setSecret(event.target.value)} />
      <button type="submit" data-testid="create-reader" disabled={name.trim() === '' || secret.length < 8}>
        Create
      </button>
    </form>
  );
}
