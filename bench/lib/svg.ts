/**
 * Small, dependency-free SVG charts for bench/RESULTS.md: grouped horizontal bars (gas per operation, ours against
 * the reference) and lines on log-log axes (latency against history length). Every mark carries a <title> with its
 * exact figure, so the chart can be read in a browser as well as checked in a test.
 */

export const SERIES_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#6b7280", "#ca8a04"];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
/** Approximate width of a character at font size 11, for laying out labels without measuring text. */
const CHAR_WIDTH = 6.2;

export const escapeXml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const round = (value: number): number => Math.round(value * 10) / 10;

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `${FONT} font-size="11" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" font-size="14" font-weight="600" text-anchor="middle">${escapeXml(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

function legend(x: number, y: number, names: readonly string[]): string[] {
  return names.flatMap((name, i) => [
    `<rect x="${x}" y="${y + i * 18 - 9}" width="12" height="12" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>`,
    `<text x="${x + 18}" y="${y + i * 18 + 1}">${escapeXml(name)}</text>`,
  ]);
}

/** A bar chart's row: a label and one value per series (null where the series has none). */
export interface BarGroup {
  label: string;
  values: (number | null)[];
}

/**
 * Horizontal bars, one group per row and one bar per series, on a linear axis from 0; each bar is labelled with
 * `format(value)`.
 */
export function barChart(options: {
  title: string;
  series: readonly string[];
  groups: readonly BarGroup[];
  axisLabel: string;
  format: (value: number) => string;
}): string {
  const { title, series, groups, axisLabel, format } = options;
  const bar = 11;
  const groupHeight = series.length * bar + 8;
  const labelWidth = Math.ceil(Math.max(...groups.map((g) => g.label.length)) * CHAR_WIDTH) + 16;
  const plotWidth = 420;
  const valueRoom = 70;
  const top = 40 + series.length * 18;
  const width = labelWidth + plotWidth + valueRoom;
  const height = top + groups.length * groupHeight + 40;
  const max = Math.max(...groups.flatMap((g) => g.values.filter((v): v is number => v !== null)));
  const scale = niceCeiling(max);
  const x = (value: number) => labelWidth + (value / scale) * plotWidth;
  const body: string[] = legend(labelWidth, 40, series);
  // Round steps: 2 × 10^n in fourths, 1, 1.5, 2.5 and 5 × 10^n in fifths.
  const steps = scale / 10 ** Math.floor(Math.log10(scale)) === 2 ? 4 : 5;
  for (let tick = 0; tick <= steps; tick += 1) {
    const value = (scale * tick) / steps;
    const tx = round(x(value));
    body.push(
      `<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${height - 36}" stroke="#e5e7eb"/>`,
      `<text x="${tx}" y="${height - 22}" text-anchor="middle" fill="#374151">${escapeXml(format(value))}</text>`,
    );
  }
  groups.forEach((group, row) => {
    const gy = top + row * groupHeight;
    body.push(
      `<text x="${labelWidth - 8}" y="${gy + (series.length * bar) / 2 + 4}" text-anchor="end">` +
        `${escapeXml(group.label)}</text>`,
    );
    group.values.forEach((value, i) => {
      if (value === null) return;
      const y = gy + i * bar;
      const w = round(x(value) - labelWidth);
      body.push(
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${bar - 2}" ` +
          `fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"><title>${escapeXml(
            `${group.label}, ${series[i]}: ${format(value)}`,
          )}</title></rect>`,
        `<text x="${round(labelWidth + w + 4)}" y="${y + bar - 3}" font-size="9" fill="#374151">` +
          `${escapeXml(format(value))}</text>`,
      );
    });
  });
  body.push(
    `<text x="${labelWidth + plotWidth / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(axisLabel)}</text>`,
  );
  return svg(width, height, title, body);
}

/** The smallest of 1, 1.5, 2, 2.5 or 5 times a power of ten that is at least `value`: the end of a linear axis. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 1.5, 2, 2.5, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

/** A series of a line chart: points (x, y), both positive. */
export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
}

/** Powers of ten from the one at or below `min` to the one at or above `max`. */
export function decades(min: number, max: number): number[] {
  const from = Math.floor(Math.log10(min));
  const to = Math.ceil(Math.log10(max));
  return Array.from({ length: Math.max(1, to - from) + 1 }, (_, i) => 10 ** (from + i));
}

/** Lines with a point marker per measurement on log-scaled x and y axes, ticks at powers of ten. */
export function logLogChart(options: {
  title: string;
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  formatX: (value: number) => string;
  formatY: (value: number) => string;
}): string {
  const { title, series, xLabel, yLabel, formatX, formatY } = options;
  const all = series.flatMap((s) => s.points);
  if (all.some((p) => p.x <= 0 || p.y <= 0)) throw new Error(`${title}: a log scale needs positive values`);
  const xTicks = decades(Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x)));
  const yTicks = decades(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y)));
  const [left, top, plotWidth, plotHeight] = [70, 40, 440, 300];
  const legendWidth = Math.ceil(Math.max(...series.map((s) => s.name.length)) * CHAR_WIDTH) + 40;
  const width = left + plotWidth + 20 + legendWidth;
  const height = top + plotHeight + 50;
  const position = (value: number, ticks: number[], length: number) =>
    (Math.log10(value / ticks[0]) / Math.log10(ticks[ticks.length - 1] / ticks[0])) * length;
  const px = (value: number) => round(left + position(value, xTicks, plotWidth));
  const py = (value: number) => round(top + plotHeight - position(value, yTicks, plotHeight));
  const body: string[] = [
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`,
  ];
  for (const tick of xTicks) {
    body.push(
      `<line x1="${px(tick)}" y1="${top}" x2="${px(tick)}" y2="${top + plotHeight}" stroke="#e5e7eb"/>`,
      `<text x="${px(tick)}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeXml(formatX(tick))}</text>`,
    );
  }
  for (const tick of yTicks) {
    body.push(
      `<line x1="${left}" y1="${py(tick)}" x2="${left + plotWidth}" y2="${py(tick)}" stroke="#e5e7eb"/>`,
      `<text x="${left - 6}" y="${py(tick) + 4}" text-anchor="end">${escapeXml(formatY(tick))}</text>`,
    );
  }
  series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    const points = [...s.points].sort((a, b) => a.x - b.x);
    body.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" ` +
        `points="${points.map((p) => `${px(p.x)},${py(p.y)}`).join(" ")}"/>`,
      ...points.map(
        (p) =>
          `<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3.5" fill="${colour}"><title>${escapeXml(
            `${s.name}: ${formatY(p.y)} at ${formatX(p.x)}`,
          )}</title></circle>`,
      ),
    );
  });
  body.push(
    ...legend(
      left + plotWidth + 20,
      top + 10,
      series.map((s) => s.name),
    ),
    `<text x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${top + plotHeight / 2}" text-anchor="middle" ` +
      `transform="rotate(-90 16 ${top + plotHeight / 2})">${escapeXml(yLabel)}</text>`,
  );
  return svg(width, height, title, body);
}
