// Double reads, for data managers and adjudicators (never readers, who must
// not learn of the other read): where each participant stands (each
// reader's progress, agreed, waiting for or done by the adjudicator), what
// the readers differ on once the adjudicator may see it, and how far the
// two readers agree over the trial.
import { formatEstimate } from '../../../shared/agreement';
import type { AgreementReport, ParticipantAdjudication } from '../../../shared/contract';
import { client } from '../api';
import { CallForm, ReopenCall, SignedCallNote } from '../components/CallForm';
import { ErrorNotice } from '../components/ErrorNotice';
import { useReaders } from '../reading/reading-queries';
import type { ReadingTarget } from '../reading/reading-store';
import { useLoaded } from '../use-loaded';

const loadAdjudication = () => client.adjudication({});
const loadAgreement = () => client.agreement({});

const STATE_WORDS: Readonly<Record<ParticipantAdjudication['state'], string>> = {
  single_read: 'single read',
  reading: 'being read',
  agreed: 'agreed: final',
  needs_adjudication: 'waiting for the adjudicator',
  adjudicated: 'adjudicated: final',
};

const regionWords = (region: string) => (region === 'all' ? 'all regions' : region.replace('_', ' '));

/** onRead: opens a read in the reading room, where the adjudicator sees both readers' marks. */
export function DoubleReadsView({ onRead }: { onRead: (target: ReadingTarget) => void }) {
  const adjudication = useLoaded(loadAdjudication);
  const agreement = useLoaded(loadAgreement);
  const adjudicator = useReaders().data?.current?.role === 'adjudicator';
  const called = () => {
    adjudication.reload();
    agreement.reload();
  };
  return (
    <div className="page-pad double-reads" data-testid="double-reads">
      <section className="panel" aria-labelledby="double-reads-title">
        <h2 id="double-reads-title">Participants</h2>
        {adjudication.error && <ErrorNotice title="The double reads could not be read" message={adjudication.error} />}
        {adjudication.data && <ParticipantsTable participants={adjudication.data} adjudicating={adjudicator ? { onCalled: called, onRead } : null} />}
      </section>
      <section className="panel" aria-labelledby="agreement-title">
        <h2 id="agreement-title">Reader agreement</h2>
        {agreement.error && <ErrorNotice title="The agreement could not be measured" message={agreement.error} />}
        {agreement.data && <AgreementTable report={agreement.data} />}
      </section>
    </div>
  );
}

/** adjudicating: for the adjudicator, who may call the reads the readers differ on, what follows a signed call and how a read opens in the reading room. */
function ParticipantsTable({ participants, adjudicating }: { participants: readonly ParticipantAdjudication[]; adjudicating: { onCalled: () => void; onRead: (target: ReadingTarget) => void } | null }) {
  return (
    <table className="plain-table">
      <thead>
        <tr>
          <th scope="col">Participant</th>
          <th scope="col">State</th>
          <th scope="col">Reader 1</th>
          <th scope="col">Reader 2</th>
          <th scope="col">Where the readers differ</th>
        </tr>
      </thead>
      <tbody>
        {participants.map((participant) => (
          <tr key={participant.participantId} data-testid="double-read" data-subject={participant.subjectCode} data-state={participant.state}>
            <th scope="row">{participant.subjectCode}</th>
            <td>{STATE_WORDS[participant.state]}</td>
            {participant.tracks.map((track) => (
              <td key={track.track}>
                {track.reader ?? <span className="muted">not taken</span>} · {track.signedReads} of {track.reads} signed
              </td>
            ))}
            <td>
              {participant.disagreements === null ? (
                <span className="muted">{participant.state === 'reading' ? 'both reads are not signed yet' : 'seen by the adjudicator'}</span>
              ) : participant.disagreements.length === 0 ? (
                'nowhere'
              ) : (
                <ul className="bare-list">
                  {participant.disagreements.map((item) => {
                    const read = { participantId: participant.participantId, visitCode: item.visitCode, region: item.region };
                    return (
                      <li key={`${item.visitCode}-${item.region}`} data-testid="disagreement">
                        {item.visitCode} {item.region.replace('_', ' ')}: reader 1 counts {item.reader1}, reader 2 counts {item.reader2}
                        {item.onlyFirst.length + item.onlySecond.length > 0 && ` (no partner within ${participant.toleranceMm} mm: ${[...item.onlyFirst.map((label) => `${label} of reader 1`), ...item.onlySecond.map((label) => `${label} of reader 2`)].join(', ')})`}
                        <span className="muted"> · {item.why}</span>
                        {adjudicating && (
                          <button type="button" className="open-read" data-testid="open-read" onClick={() => adjudicating.onRead(read)}>
                            See both readers&apos; marks
                          </button>
                        )}
                        {item.call ? (
                          <>
                            <SignedCallNote call={item.call} />
                            {adjudicating && <ReopenCall read={read} onReopened={adjudicating.onCalled} />}
                          </>
                        ) : (
                          adjudicating && participant.state !== 'agreed' && <CallForm read={read} counts={{ reader1: item.reader1, reader2: item.reader2 }} onCalled={adjudicating.onCalled} />
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AgreementTable({ report }: { report: AgreementReport }) {
  return (
    <>
      <p className="muted">
        Over the {report.participants} participant{report.participants === 1 ? '' : 's'} both readers have signed; each figure with its 95% interval and the number of cases behind it.
      </p>
      <table className="plain-table" data-testid="agreement">
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col">ICC of counts (participant × visit)</th>
            <th scope="col">Kappa on active (participant × visit × region)</th>
            <th scope="col">Lesion-wise F1</th>
          </tr>
        </thead>
        <tbody>
          {report.regions.map((region) => (
            <tr key={region.region} data-testid="agreement-region" data-region={region.region}>
              <th scope="row">{regionWords(region.region)}</th>
              <td>{formatEstimate(region.icc)}</td>
              <td>{formatEstimate(region.kappa)}</td>
              <td>{formatEstimate(region.lesionF1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="adjudication-rate">Adjudication rate: {formatEstimate(report.adjudicationRate)}</p>
      {report.readers.map((reader) => (
        <p key={reader.reader} data-testid="decided-against">
          Adjudicated reads decided against {reader.reader}: {formatEstimate(reader.decidedAgainst)}
        </p>
      ))}
    </>
  );
}
