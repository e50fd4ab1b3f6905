// Who is reading: every record and audit entry carries the reader chosen
// here, who proves it with their own secret (kept only as a salted scrypt
// hash in main). A first reader profile can be made here too. When main
// says the session is locked (idle past the trial's limit), this asks the
// reader for their secret again.
import { type FormEvent, useEffect, useState } from 'react';
import { ReaderRoleSchema, type ReaderView } from '../../../shared/contract';
import { client, onSessionLocked } from '../api';
import { errorMessage } from '../format';

type Role = ReaderView['role'];

/** `onChange` hears who is chosen (null: nobody yet), so that screens can say what waits for a reader. */
export function ReaderBar({ onChange }: { onChange: (current: ReaderView | null) => void }) {
  const [readers, setReaders] = useState<ReaderView[]>([]);
  const [current, setCurrent] = useState<ReaderView | null>(null);
  const [open, setOpen] = useState(false);
  const [readerId, setReaderId] = useState<number | null>(null);
  const [secret, setSecret] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [error, setError] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);

  const load = () =>
    client
      .listReaders({})
      .then((list) => {
        setReaders(list.readers);
        setCurrent(list.current);
        onChange(list.current);
        setLocked(list.locked);
        if (list.locked) setOpen(true);
        // The reader to give the secret for: whoever is reading now, else the first profile.
        setReaderId((value) => list.current?.id ?? value ?? list.readers[0]?.id ?? null);
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  useEffect(() => void load(), []);
  useEffect(() => onSessionLocked(() => void load()), []);

  async function run(action: () => Promise<unknown>) {
    try {
      await action();
      setSecret('');
      setError(null);
      setOpen(false);
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  function choose(event: FormEvent) {
    event.preventDefault();
    if (readerId !== null) void run(() => client.chooseReader({ readerId, secret }));
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const made = await client.createReader({ name: name.trim(), role, secret });
      await client.chooseReader({ readerId: made.id, secret });
      setName('');
    });
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
          {readers.length > 0 && (
            <form className="inline-form" onSubmit={choose}>
              <select aria-label="Reader" value={readerId ?? ''} onChange={(event) => setReaderId(Number(event.target.value))}>
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
          )}
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
          {error && <p className="warn-text">{error}</p>}
        </div>
      )}
    </div>
  );
}
