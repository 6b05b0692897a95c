/** A CSV file with a header row (RFC 4180: quoted fields, `""` inside quotes), as records with their line numbers. */
import { readFileSync } from "node:fs";

import { usage } from "./errors.js";

export interface CsvRow {
  /** 1-based line number in the file. */
  line: number;
  fields: Record<string, string>;
}

/** Splits one line into fields; a quote left open is an error naming the line. */
function splitLine(text: string, line: number, file: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (quoted) throw usage(`${file} line ${line}: a quoted field is not closed`);
  fields.push(field);
  return fields.map((value) => value.trim());
}

/** Reads `file`: its header names the columns; `required` columns must be there; blank lines are skipped. */
export function readCsv(file: string, required: readonly string[]): CsvRow[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw usage(`cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = splitLine(lines[0] ?? "", 1, file).map((name) => name.toLowerCase());
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw usage(`${file} line 1: the header lacks ${missing.join(", ")} (needs ${required.join(",")})`);
  const rows: CsvRow[] = [];
  lines.slice(1).forEach((text, i) => {
    if (text.trim() === "") return;
    const line = i + 2;
    const values = splitLine(text, line, file);
    if (values.length !== header.length)
      throw usage(`${file} line ${line}: ${values.length} fields, the header has ${header.length}`);
    rows.push({ line, fields: Object.fromEntries(header.map((name, j) => [name, values[j]])) });
  });
  if (rows.length === 0) throw usage(`${file} has no rows`);
  return rows;
}
