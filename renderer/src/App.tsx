// The workstation's screens: the worklist (participant x visit x region),
// the images (import, series list and viewer), the assignments and the trial
// setup. The header says which store is open (trial or demo).
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { AuditView } from './components/AuditView';
import { ErrorNotice } from './components/ErrorNotice';
import { ImportPanel } from './components/ImportPanel';
import { ReaderBar } from './components/ReaderBar';
import { SeriesList } from './components/SeriesList';
import { WorkspaceBar } from './components/WorkspaceBar';
import { errorMessage } from './format';
import { AssignmentsView } from './trial/AssignmentsView';
import { DoubleReadsView } from './trial/DoubleReadsView';
import { TrialSetupView } from './trial/TrialSetupView';
import { WorklistView } from './trial/WorklistView';
import { ReadingView } from './reading/ReadingView';
import { type ReadingTarget, useReading } from './reading/reading-store';
import { QueryClientProvider } from '@tanstack/react-query';
import { keyLabel } from './commands/command';
import { COMMANDS, GESTURES } from './commands/command-table';
import { CommandHelp } from './commands/CommandHelp';
import { useKeyBindings } from './commands/use-commands';
import { queryClient, queryKeys } from './queries';
import { isBlindedReader, useReaders, useReadingDesign, useSeriesList, useWorkspace } from './reading/reading-queries';
import { forgetStoreImages } from './viewer/cornerstone';
import { Viewer } from './viewer/Viewer';

type View = 'worklist' | 'reading' | 'images' | 'assignments' | 'setup' | 'double-reads' | 'audit';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'worklist', label: 'Worklist' },
  { view: 'reading', label: 'Reading' },
  { view: 'images', label: 'Images' },
  { view: 'assignments', label: 'Assignments' },
  { view: 'setup', label: 'Trial setup' },
  { view: 'double-reads', label: 'Double reads' },
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
  // Bumped when the store changes under the page (demo in or out): every screen opens afresh.
  const [storeGeneration, setStoreGeneration] = useState(0);
  // True while the store changes: the series list closes with the old store, so that no thumbnail asks the new one for an old series.
  const [switching, setSwitching] = useState(false);
  const [openedId, setOpenedId] = useState<number | null>(null);
  const reading = useReading((state) => state.target);
  const workspace = useWorkspace();
  const series = useSeriesList();
  const reader = useReaders().data?.current ?? null;
  const design = useReadingDesign();
  // A reader of a double read is never told of the other read: the screen is for data managers and adjudicators.
  const showDoubleReads = design.data?.design === 'double' && reader?.role !== 'reader';
  // A blinded reader has the worklist and the reading room only: the other screens name visits, dates and headers (main refuses them too).
  const blinded = isBlindedReader(design.data, reader);
  const shown: View = blinded && view !== 'worklist' && view !== 'reading' ? 'worklist' : view;

  /** Before the store changes: the old store's screens close, its images are forgotten and its queries under way cancelled, so that none reaches the new store. */
  function storeSwitching() {
    flushSync(() => {
      setOpenedId(null);
      useReading.setState({ target: null });
      setSwitching(true);
    });
    forgetStoreImages();
    void queryClient.cancelQueries();
  }

  async function storeSwitched(demo: boolean) {
    flushSync(() => {
      setView(demo ? 'worklist' : 'images');
      setStoreGeneration((value) => value + 1);
    });
    // Nothing cached from one store may show in another: every query starts again, empty.
    try {
      await queryClient.resetQueries();
    } finally {
      setSwitching(false);
    }
  }

  function read(target: ReadingTarget) {
    useReading.getState().open(target);
    setView('reading');
  }

  const opened = series.data?.find((item) => item.id === openedId) ?? null;

  return (
    <div className={`app view-${shown}`}>
      <header className="app-header">
        <h1>LesionTrack</h1>
        <nav className="tabs" aria-label="Screens">
          {VIEWS.filter((item) => (item.view !== 'reading' || reading !== null) && (item.view !== 'double-reads' || showDoubleReads) && (!blinded || item.view === 'worklist' || item.view === 'reading')).map((item) => (
            <button key={item.view} type="button" className={item.view === shown ? 'tab active' : 'tab'} aria-current={item.view === shown ? 'page' : undefined} data-testid={`tab-${item.view}`} onClick={() => setView(item.view)}>
              {item.label}
            </button>
          ))}
        </nav>
        <ReaderBar key={storeGeneration} />
        <WorkspaceBar workspace={workspace.data ?? null} onSwitching={storeSwitching} onSwitched={(demo) => void storeSwitched(demo)} />
      </header>
      {shown === 'images' ? (
        <>
          <aside className="sidebar">
            <ImportPanel onImported={() => void queryClient.invalidateQueries({ queryKey: queryKeys.seriesList })} />
            {series.error && <ErrorNotice title="The series list could not be read" message={errorMessage(series.error)} />}
            <SeriesList series={switching ? undefined : series.data} selectedId={openedId} onOpen={(item) => setOpenedId(item.id)} />
          </aside>
          <main className="main-area">{opened ? <Viewer key={opened.id} series={opened} /> : <EmptyViewer />}</main>
        </>
      ) : (
        <main className={shown === 'reading' ? 'page reading-page' : 'page'} key={`${shown}-${storeGeneration}`}>
          {shown === 'worklist' && <WorklistView onRead={read} onReview={() => setView('assignments')} blinded={blinded} />}
          {shown === 'reading' && reading && <ReadingView reader={reader} onClose={() => setView('worklist')} blinded={blinded} />}
          {shown === 'assignments' && <AssignmentsView />}
          {shown === 'setup' && <TrialSetupView />}
          {shown === 'double-reads' && <DoubleReadsView onRead={read} />}
          {shown === 'audit' && <AuditView />}
        </main>
      )}
      <CommandHelp />
    </div>
  );
}
