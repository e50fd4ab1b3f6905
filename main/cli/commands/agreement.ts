// `lesiontrack agreement`: how far the two readers of a double-read trial
// agree, per region and overall, each figure with its 95% interval and the
// number of cases behind it.
import type { AgreementReport } from '../../../shared/contract';
import { defineCommand, UsageError } from '../command';

export const agreementCommand = defineCommand({
  name: 'agreement',
  summary: "agreement of the two readers of a double read: ICC, kappa, lesion F1",
  usage: '[--db PATH] [--json]',
  options: {},
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('agreement takes no arguments.');
    return withWorkstation(async ({ client }) => {
      const report = await client.agreement({});
      io.out(values.json ? `${JSON.stringify(report)}\n` : formatAgreement(report));
      return 0;
    });
  },
});

type Figure = AgreementReport['adjudicationRate'];

/** "0.82 (0.61 to 0.93), n = 18", or why there is no value. */
export function formatFigure(figure: Figure): string {
  const number = (value: number | null) => (value === null ? '–' : value.toFixed(2));
  if (figure.value === null) return `– (${figure.note ?? 'undefined'}), n = ${figure.n}`;
  const interval = figure.low === null || figure.high === null ? '' : ` (${number(figure.low)} to ${number(figure.high)})`;
  return `${number(figure.value)}${interval}, n = ${figure.n}`;
}

function formatAgreement(report: AgreementReport): string {
  const lines = [`Participants with both reads signed: ${report.participants}`];
  for (const region of report.regions) {
    lines.push(`${region.region.replace('_', ' ')}:`, `  ICC of counts      ${formatFigure(region.icc)}`, `  kappa on active    ${formatFigure(region.kappa)}`, `  lesion-wise F1     ${formatFigure(region.lesionF1)}`);
  }
  lines.push(`Adjudication rate: ${formatFigure(report.adjudicationRate)}`);
  for (const reader of report.readers) lines.push(`Decided against ${reader.reader}: ${formatFigure(reader.decidedAgainst)}`);
  return `${lines.join('\n')}\n`;
}
