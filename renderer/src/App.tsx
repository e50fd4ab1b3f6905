// The workstation's one screen: import and the series list on the left,
// the viewer filling the rest.
import { useCallback, useEffect, useState } from 'react';
import type { SeriesSummary } from '../../shared/contract';
import { client } from './api';
import { ErrorNotice } from './components/ErrorNotice';
import { ImportPanel } from './components/ImportPanel';
import { SeriesList } from './components/SeriesList';
import { errorMessage } from './format';
import { Viewer } from './viewer/Viewer';

function EmptyViewer() {
  return (
    <div className="viewer-empty">
      <p>Open an image series from the list.</p>
      <dl className="shortcuts">
        <dt>Wheel, ↑ ↓</dt>
        <dd>previous / next slice</dd>
        <dt>PgUp PgDn</dt>
        <dd>a tenth of the stack</dd>
        <dt>Left drag</dt>
        <dd>window / level</dd>
        <dt>Middle drag</dt>
        <dd>pan</dd>
        <dt>Right drag</dt>
        <dd>zoom</dd>
        <dt>R</dt>
        <dd>reset view and window</dd>
        <dt>I</dt>
        <dd>invert</dd>
      </dl>
    </div>
  );
}

export function App() {
  const [series, setSeries] = useState<SeriesSummary[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [openedId, setOpenedId] = useState<number | null>(null);

  const refreshSeries = useCallback(() => {
    client
      .listSeries({})
      .then((list) => {
        setSeries(list);
        setListError(null);
      })
      .catch((error: unknown) => setListError(errorMessage(error)));
  }, []);

  useEffect(refreshSeries, [refreshSeries]);

  const opened = series.find((item) => item.id === openedId) ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>LesionTrack</h1>
        <span className="app-subtitle">NMOSD T2 lesion reading</span>
      </header>
      <aside className="sidebar">
        <ImportPanel onImported={refreshSeries} />
        {listError && <ErrorNotice title="The series list could not be read" message={listError} />}
        <SeriesList series={series} selectedId={openedId} onOpen={(item) => setOpenedId(item.id)} />
      </aside>
      <main className="main-area">{opened ? <Viewer key={opened.id} series={opened} /> : <EmptyViewer />}</main>
    </div>
  );
}
