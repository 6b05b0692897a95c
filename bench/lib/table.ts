/** Column alignment in a markdown table. */
export type Align = "left" | "right" | "center";

/**
 * A markdown table whose columns are padded to equal width, so the same text reads well in a terminal and renders
 * in a README.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = header.map((title, column) => Math.max(3, title.length, ...rows.map((row) => row[column].length)));
  const pad = (cell: string, column: number) =>
    align[column] === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((width, column) => {
    const dashes = "-".repeat(width);
    if (align[column] === "right") return `${dashes.slice(1)}:`;
    if (align[column] === "center") return `:${dashes.slice(2)}:`;
    return dashes;
  });
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
