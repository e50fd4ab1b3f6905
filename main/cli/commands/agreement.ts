// `lesiontrack agreement`: how far the two readers of a double-read trial
// agree, per region and overall, each figure with its 95% interval and the
// number of cases behind it.
import type { AgreementReport } from '../../../shared/contract';
import { formatEstimate } from '../../../shared/agreement';
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

function formatAgreement(report: AgreementReport): string {
  const lines = [`Participants with both reads signed: ${report.participants}`];
  for (const region of report.regions) {
    lines.push(`${region.region.replace('_', ' ')}:`, `  ICC of counts      ${formatEstimate(region.icc)}`, `  kappa on active    ${formatEstimate(region.kappa)}`, `  lesion-wise F1     ${formatEstimate(region.lesionF1)}`);
  }
  lines.push(`Adjudication rate: ${formatEstimate(report.adjudicationRate)}`);
  for (const reader of report.readers) lines.push(`Decided against ${reader.reader}: ${formatEstimate(reader.decidedAgainst)}`);
  return `${lines.join('\n')}\n`;
}
