/**
 * A bench's table as text: columns padded to their widest cell; a row whose second cell is empty
 * is a section heading, printed alone.
 */
export function renderTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r[1] === '' && r !== rows[0]
        ? r[0]!
        : r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
    )
    .join('\n');
}
