// The reading design, beside the charter: one reader per participant, or two
// independent readers and an adjudicator, with the rule that sends a
// participant to adjudication. Chosen before
// reading starts: main refuses a change under signed reads, and says why.
import { useState } from 'react';
import type { AdjudicationRule, ReadingDesign } from '../../../shared/contract';
import { client } from '../api';
import { ReasonAndSave, saveBlockers } from '../components/WhyNot';
import { queryClient, queryKeys } from '../queries';
import { useAction } from '../use-loaded';
import { SettingPanel } from './SettingPanel';

const loadDesign = () => client.readingDesign({});

const RULES: readonly { rule: AdjudicationRule['rule']; label: string }[] = [
  { rule: 'count_differs', label: 'their new-or-enlarging counts differ at any visit and region' },
  { rule: 'difference_at_least', label: 'their counts differ by at least' },
  { rule: 'any_unmatched', label: 'any counted lesion of one reader has no partner in the other read' },
];

export function ReadingDesignPanel() {
  return <SettingPanel load={loadDesign} what="The reading design" editor={(design, reload) => <ReadingDesignEditor design={design} reload={reload} />} />;
}

function ReadingDesignEditor({ design, reload }: { design: ReadingDesign; reload: () => void }) {
  const double = design.design === 'double' ? design : null;
  const [kind, setKind] = useState<ReadingDesign['design']>(design.design);
  const [rule, setRule] = useState<AdjudicationRule['rule']>(double?.adjudication.rule ?? 'count_differs');
  const [threshold, setThreshold] = useState(String(double?.adjudication.rule === 'difference_at_least' ? double.adjudication.threshold : 2));
  const [blinded, setBlinded] = useState(double?.blinded ?? true);
  const [reason, setReason] = useState('');
  // The tabs follow the design (a double read has its own screen): the app's copy is refreshed with the panel's.
  const { act, actionError } = useAction(() => {
    reload();
    void queryClient.invalidateQueries({ queryKey: queryKeys.readingDesign });
  });

  const thresholdValue = Number(threshold);
  const problems = kind === 'double' && rule === 'difference_at_least' && !(Number.isInteger(thresholdValue) && thresholdValue >= 1 && thresholdValue <= 20) ? ['The difference that sends a participant to adjudication must be a whole number from 1 to 20.'] : [];
  const adjudication: AdjudicationRule = rule === 'difference_at_least' ? { rule, threshold: thresholdValue } : { rule };
  const draft: ReadingDesign = kind === 'single' ? { design: 'single' } : { design: 'double', adjudication, blinded };
  const changed = JSON.stringify(draft) !== JSON.stringify(design);
  const blockers = saveBlockers({ changed, problems, reasonNeeded: reason.trim() === '' });

  return (
    <section className="panel" aria-labelledby="design-title" data-testid="reading-design">
      <h2 id="design-title">Reading design</h2>
      <p className="muted">Chosen before reading starts: it cannot change while a read is signed.</p>
      <fieldset className="choice-list">
        <legend>Each participant is read by</legend>
        <label>
          <input type="radio" name="design" data-testid="design-single" checked={kind === 'single'} onChange={() => setKind('single')} /> one reader
        </label>
        <label>
          <input type="radio" name="design" data-testid="design-double" checked={kind === 'double'} onChange={() => setKind('double')} /> two independent readers, and an adjudicator where they disagree
        </label>
      </fieldset>
      {kind === 'double' && (
        <fieldset className="choice-list">
          <legend>A participant goes to the adjudicator when, once both reads are signed,</legend>
          {RULES.map((item) => (
            <label key={item.rule}>
              <input type="radio" name="adjudication-rule" data-testid={`rule-${item.rule}`} checked={rule === item.rule} onChange={() => setRule(item.rule)} /> {item.label}
              {item.rule === 'difference_at_least' && (
                <input className="narrow" type="number" min={1} max={20} aria-label="Difference in counts" data-testid="rule-threshold" value={threshold} disabled={rule !== 'difference_at_least'} onChange={(event) => setThreshold(event.target.value)} />
              )}
            </label>
          ))}
        </fieldset>
      )}
      {kind === 'double' && (
        <label className="checkbox-line">
          <input type="checkbox" data-testid="design-blinded" checked={blinded} onChange={(event) => setBlinded(event.target.checked)} /> blind the readers: they see each scan as
          &ldquo;Scan 1&hellip;n&rdquo;, &ldquo;Current&rdquo; and &ldquo;Prior&rdquo;, never its visit, its date or the descriptions in its headers
        </label>
      )}
      <ReasonAndSave name="design" reason={reason} onReason={setReason} blockers={blockers} changed={changed} refusal={actionError} onSave={() => void act(() => client.saveReadingDesign({ design: draft, reason: reason.trim() }))} />
    </section>
  );
}
