// `lesiontrack series`: the stored series, each with the participant, visit
// and region it is assigned to.
import type { SeriesSummary, StudyAssignment } from '../../../shared/contract';
import { defineCommand, UsageError } from '../command';

export const seriesCommand = defineCommand({
  name: 'series',
  summary: 'list the stored series with their participant, visit and region',
  usage: '[--db PATH] [--json]',
  options: {},
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('series takes no arguments.');
    return withWorkstation(async ({ client }) => {
      const series = await client.listSeries({});
      const placed = assignmentsBySeries(await client.listAssignments({}));
      io.out(values.json ? `${JSON.stringify(series.map((item) => seriesForCli(item, placed.get(item.id) ?? null)))}\n` : formatSeries(series));
      return 0;
    });
  },
});

interface Placement {
  subject: string | null;
  visit: string | null;
  region: string | null;
}

function assignmentsBySeries(studies: StudyAssignment[]): Map<number, Placement> {
  const placed = new Map<number, Placement>();
  for (const study of studies) {
    for (const series of study.series) {
      if (study.subjectCode !== null || series.region !== null) placed.set(series.seriesId, { subject: study.subjectCode, visit: study.visitCode, region: series.region });
    }
  }
  return placed;
}

function seriesForCli(series: SeriesSummary, placement: Placement | null) {
  return {
    uid: series.seriesUid,
    modality: series.modality,
    description: series.description,
    seriesNumber: series.seriesNumber,
    orientation: series.orientation,
    instances: series.instanceCount,
    frames: series.frameCount,
    slices: series.isImage ? series.frameCount : 0,
    spacing: series.spacing,
    transferSyntaxes: series.transferSyntaxes,
    isImage: series.isImage,
    assigned: placement,
    warnings: series.warnings,
  };
}

function formatSeries(series: SeriesSummary[]): string {
  if (series.length === 0) return 'No series stored.\n';
  const rows = series.map((s) =>
    [s.modality.padEnd(4), String(s.seriesNumber ?? '').padStart(5), `${s.instanceCount} inst`.padStart(9), `${s.frameCount} fr`.padStart(8), s.description || '(no description)'].join('  '),
  );
  return `${rows.join('\n')}\n`;
}
