// The A/B comparison as a second table under a report's CSV (after a blank line): per split and
// checkpoint, one line per arm (side by side with its holdout), one per pair of arms, the verdict.
import type { AbSplitReport } from '@huitou/schemas/http';
import type { CsvLang } from '../api/csv.ts';
import { csvLines, csvWord } from '../api/csv.ts';

const HEADER = [
  'ab_split',
  'checkpoint',
  'cycle',
  'line',
  'arm',
  'versus',
  'targets',
  'buyers',
  'conversion_rate',
  'sales',
  'cost',
  'roi',
  'holdout_targets',
  'holdout_buyers',
  'lift',
  'relative_lift',
  'lift_ci_low',
  'lift_ci_high',
  'p_value',
  'significant',
  'winner',
  'no_winner_reason',
] as const;

/** '' when the report has no random split, else a blank line and the comparison table. */
export function abCsv(ab: readonly AbSplitReport[], lang: CsvLang): string {
  if (ab.length === 0) return '';
  const rows = ab.flatMap((s) => {
    const at = [s.nodeId, s.checkpoint, s.cycle];
    return [
      ...s.arms.map((a) => [
        ...at,
        'arm',
        a.key,
        '',
        a.treatment.targets,
        a.treatment.buyers,
        a.treatment.metrics.responseRate,
        a.treatment.sales,
        a.treatment.cost,
        a.treatment.metrics.roi,
        a.holdout.targets,
        a.holdout.buyers,
        a.lift?.lift,
        '',
        a.lift?.ciLow,
        a.lift?.ciHigh,
        a.lift?.pValue,
        a.lift?.significant,
        '',
        '',
      ]),
      ...s.pairs.map((p) => [
        ...at,
        'pair',
        p.arm,
        p.versus,
        '',
        '',
        p.rate,
        '',
        '',
        '',
        '',
        '',
        p.absolute,
        p.relative,
        p.ciLow,
        p.ciHigh,
        p.pValue,
        p.significant,
        '',
        '',
      ]),
      [...at, 'verdict', s.verdict.leader, '', ...Array(14).fill(''), s.verdict.winner, s.verdict.reason],
    ];
  });
  // The line kind (arm, pair, verdict) is a word of the export's language, as the header is.
  const worded = rows.map((r) => r.map((cell, i) => (i === 3 ? csvWord(String(cell), lang) : cell)));
  return `\r\n${csvLines(
    HEADER.map((key) => csvWord(key, lang)),
    worded,
  )}`;
}
