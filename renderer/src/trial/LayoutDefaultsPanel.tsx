// The trial's default reading layout of each region, set with the charter:
// how a region's reads hang (two panes or four-up, the sequence shown first)
// for a reader who has not chosen their own. A trial setting, changed with a
// reason that goes into the audit trail.
import { useState } from 'react';
import type { DefaultLayouts, Sequence } from '../../../shared/contract';
import { preferring } from '../../../shared/hanging';
import { REGIONS } from '../../../shared/protocol';
import { client } from '../api';
import { ReasonAndSave, saveBlockers } from '../components/WhyNot';
import { useAction } from '../use-loaded';
import { SettingPanel } from './SettingPanel';
import { REGION_LABEL } from './labels';

const loadLayouts = () => client.defaultReadingLayouts({});
const FIRST_SEQUENCES: readonly Sequence[] = ['FLAIR', 'T2', 'STIR', 'T1'];

export function LayoutDefaultsPanel() {
  return <SettingPanel load={loadLayouts} what="The default reading layouts" editor={(layouts, reload) => <LayoutDefaultsEditor saved={layouts} reload={reload} />} />;
}

function LayoutDefaultsEditor({ saved, reload }: { saved: DefaultLayouts; reload: () => void }) {
  const [layouts, setLayouts] = useState(saved);
  const [reason, setReason] = useState('');
  const { act, actionError } = useAction(reload);
  const changed = JSON.stringify(layouts) !== JSON.stringify(saved);
  const blockers = saveBlockers({ changed, problems: [], reasonNeeded: reason.trim() === '' });
  return (
    <section className="panel" aria-labelledby="layouts-title" data-testid="layout-defaults">
      <h2 id="layouts-title">Default reading layouts</h2>
      <p className="muted">How each region's reads hang for a reader who has not chosen their own layout (a reader's own choice is remembered per region).</p>
      {REGIONS.map((region) => (
        <div key={region} className="inline-form" data-testid="layout-default" data-region={region}>
          <span className="field-label">{REGION_LABEL[region]}</span>
          <select aria-label={`${REGION_LABEL[region]} layout`} value={layouts[region].layout} onChange={(event) => setLayouts({ ...layouts, [region]: { ...layouts[region], layout: event.target.value as 'two' | 'four' } })}>
            <option value="two">two panes: the visit and its comparator</option>
            <option value="four">four-up: all visits</option>
          </select>
          <select aria-label={`${REGION_LABEL[region]} sequence first`} value={layouts[region].sequences[0] ?? ''} onChange={(event) => setLayouts({ ...layouts, [region]: preferring(layouts[region], event.target.value as Sequence) })}>
            {FIRST_SEQUENCES.map((sequence) => (
              <option key={sequence} value={sequence}>
                {sequence} first
              </option>
            ))}
          </select>
        </div>
      ))}
      <ReasonAndSave name="layouts" reason={reason} onReason={setReason} blockers={blockers} changed={changed} refusal={actionError} onSave={() => void act(() => client.saveDefaultReadingLayouts({ layouts, reason: reason.trim() }))} />
    </section>
  );
}
