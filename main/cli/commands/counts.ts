// `lesiontrack counts`: new and enlarging lesions per participant x visit x
// region, and the endpoint totals, as the charter counts them.
import type { CountsReport } from '../../../shared/contract';
import { defineCommand, UsageError } from '../command';

export const countsCommand = defineCommand({
  name: 'counts',
  summary: 'new / enlarging lesions per participant x visit x region, and the endpoint totals',
  usage: '[--db PATH] [--json]',
  options: {},
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('counts takes no arguments.');
    return withWorkstation(async ({ client }) => {
      const report = await client.counts({});
      io.out(values.json ? `${JSON.stringify(report)}\n` : formatCounts(report));
      return 0;
    });
  },
});

function formatCounts(report: CountsReport): string {
  const lines = [`Charter ${report.charter.id} (comparator: ${report.charter.comparator} scan)`];
  for (const participant of report.participants) {
    lines.push(`${participant.subjectCode}: endpoint ${participant.endpointTotal}`);
    for (const cell of participant.cells) {
      lines.push(`  ${cell.visitCode.padEnd(14)} ${cell.region.padEnd(12)} new ${cell.new}  enlarging ${cell.enlarging}  new or enlarging ${cell.newOrEnlarging}  (vs ${cell.comparatorVisit ?? '-'})`);
    }
  }
  lines.push(`Trial total: ${report.trialTotal}`);
  return `${lines.join('\n')}\n`;
}
