// The workstation's screens: the worklist (participant x visit x region),
// the images (import, series list and viewer), the assignments and the trial
// setup. The header says which store is open (trial or demo).
import { useCallback, useEffect, useState } from 'react';
import type { ReaderView, SeriesSummary, Workspace } from '../../shared/contract';
import { client } from './api';
import { AuditView } from './components/AuditView';
import { ErrorNotice } from './components/ErrorNotice';
import { ImportPanel } from './components/ImportPanel';
import { ReaderBar } from './components/ReaderBar';
import { SeriesList } from './components/SeriesList';
import { WorkspaceBar } from './components/WorkspaceBar';
import { errorMessage } from './format';
import { AssignmentsView } from './trial/AssignmentsView';
import { TrialSetupView } from './trial/TrialSetupView';
import { WorklistView } from './trial/WorklistView';
import { ReadingView } from './reading/ReadingView';
import { type ReadingTarget, useReading } from './reading/reading-store';
import { QueryClientProvider } from '@tanstack/react-query';
import { keyLabel } from './commands/command';
import { COMMANDS, GESTURES } from './commands/command-table';
import { CommandHelp } from './commands/CommandHelp';
import { useKeyBindings } from './commands/use-commands';
import { queryClient } from './queries';
import { Viewer } from './viewer/Viewer';

type View = 'worklist' | 'reading' | 'images' | 'assignments' | 'setup' | 'audit';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'worklist', label: 'Worklist' },
  { view: 'reading', label: 'Reading' },
  { view: 'images', label: 'Images' },
  { view: 'assignments', label: 'Assignments' },
  { view: 'setup', label: 'Trial setup' },
  { view: 'audit', label: 'Audit and exports' },
];

function EmptyViewer() {
  return (
    <div className="viewer-empty">
      <p>Open an image series from the list.</p>
      <dl className="shortcuts">
        {GESTURES.filter((gesture) => gesture.scope === 'viewer').flatMap((gesture) => [<dt key={`${gesture.how}-k`}>{gesture.how}</dt>, <dd key={`${gesture.how}-d`}>{gesture.label}</dd>])}
        {COMMANDS.filter((item) => item.scope === 'viewer').flatMap((item) => [<dt key={`${item.id}-k`}>{item.keys.map(keyLabel).join(' ')}</dt>, <dd key={`${item.id}-d`}>{item.label}</dd>])}
      </dl>
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Screens />
    </QueryClientProvider>
  );
}

function Screens() {
  useKeyBindings();
  const [view, setView] = useState<View>('images');
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  // Bumped when the store changes under the page (demo in or out): every screen reloads.
  const [storeGeneration, setStoreGeneration] = useState(0);
  const [series, setSeries] = useState<SeriesSummary[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [openedId, setOpenedId] = useState<number | null>(null);
  const reading = useReading((state) => state.target);
  const [reader, setReader] = useState<ReaderView | null>(null);

  const refreshSeries = useCallback(() => {
    client
      .listSeries({})
      .then((list) => {
        setSeries(list);
        setListError(null);
      })
      .catch((error: unknown) => setListError(errorMessage(error)));
  }, []);

  useEffect(refreshSeries, [refreshSeries, storeGeneration]);
  useEffect(() => {
    client
      .workspace({})
      .then(setWorkspace)
      .catch(() => setWorkspace({ demo: false }));
  }, [storeGeneration]);

  function storeSwitched() {
    setOpenedId(null);
    useReading.setState({ target: null });
    // Nothing cached from one store may show in another.
    queryClient.clear();
    setStoreGeneration((value) => value + 1);
    void client.workspace({}).then((next) => {
      setWorkspace(next);
      setView(next.demo ? 'worklist' : 'images');
    });
  }

  function read(target: ReadingTarget) {
    useReading.getState().open(target);
    setView('reading');
  }

  const opened = series.find((item) => item.id === openedId) ?? null;

  return (
    <div className={`app view-${view}`}>
      <header className="app-header">
        <h1>LesionTrack</h1>
        <nav className="tabs" aria-label="Screens">
          {VIEWS.filter((item) => item.view !== 'reading' || reading !== null).map((item) => (
            <button key={item.view} type="button" className={item.view === view ? 'tab active' : 'tab'} aria-current={item.view === view ? 'page' : undefined} data-testid={`tab-${item.view}`} onClick={() => setView(item.view)}>
              {item.label}
            </button>
          ))}
        </nav>
        <ReaderBar key={storeGeneration} onChange={setReader} />
        <WorkspaceBar workspace={workspace} onSwitched={storeSwitched} />
      </header>
      {view === 'images' ? (
        <>
          <aside className="sidebar">
            <ImportPanel onImported={refreshSeries} />
            {listError && <ErrorNotice title="The series list could not be read" message={listError} />}
            <SeriesList series={series} selectedId={openedId} onOpen={(item) => setOpenedId(item.id)} />
          </aside>
          <main className="main-area">{opened ? <Viewer key={opened.id} series={opened} /> : <EmptyViewer />}</main>
        </>
      ) : (
        <main className={view === 'reading' ? 'page reading-page' : 'page'} key={`${view}-${storeGeneration}`}>
          {view === 'worklist' && <WorklistView onRead={read} onReview={() => setView('assignments')} />}
          {view === 'reading' && reading && <ReadingView reader={reader} onClose={() => setView('worklist')} />}
          {view === 'assignments' && <AssignmentsView />}
          {view === 'setup' && <TrialSetupView />}
          {view === 'audit' && <AuditView />}
        </main>
      )}
      <CommandHelp />
    </div>
  );
}
