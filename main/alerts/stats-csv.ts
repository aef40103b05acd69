/**
 * A statistics table as CSV (runtime: Node): one line per row, the group's key and name, the count,
 * a column per alert type, and the crowd and trader peaks and averages. Formulas are escaped, so a
 * camera name can't become a spreadsheet formula.
 */
import { stringify } from 'csv-stringify/sync';
import { ALERT_TYPES, type StatsResult } from '../../preload/contract.js';

export function statsCsv(r: StatsResult): { csv: string; rows: number; total: number } {
  const head = [r.groupBy, `${r.groupBy}_name`, ...(r.thenBy ? [r.thenBy, `${r.thenBy}_name`] : []), 'count', ...ALERT_TYPES, 'crowd_peak', 'crowd_avg', 'trader_peak', 'trader_avg'];
  const lines = r.rows.map((x) => [
    x.key,
    x.label,
    ...(r.thenBy ? [x.key2 ?? '', x.label2 ?? ''] : []),
    x.count,
    ...ALERT_TYPES.map((t) => x.byType[t] ?? 0),
    x.crowd?.peak ?? '',
    x.crowd?.avg ?? '',
    x.trader?.peak ?? '',
    x.trader?.avg ?? '',
  ]);
  return { csv: stringify([head, ...lines], { escape_formulas: true }), rows: r.rows.length, total: r.total };
}
