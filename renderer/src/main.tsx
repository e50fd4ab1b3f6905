// Entry point. The Trusted Types policy comes first: the page runs under
// `require-trusted-types-for 'script'`, and Cornerstone's decode workers
// (new Worker(url)) need it. Then Cornerstone, then the UI.
import './trusted-types';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorNotice } from './components/ErrorNotice';
import { errorMessage } from './format';
import { startCornerstone } from './viewer/cornerstone';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);

try {
  startCornerstone();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <div className="startup-failure">
      <ErrorNotice title="The image viewer could not start" message={errorMessage(error)} />
    </div>,
  );
}
