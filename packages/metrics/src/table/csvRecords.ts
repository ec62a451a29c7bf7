import { UserError } from '@mtl-fd/capture';

/** One CSV record: its cells and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Splits CSV text (RFC 4180: `,` separated, `"` quoted, `""` a quote inside quotes,
 * LF or CRLF line ends, line breaks allowed inside quotes) into records, keeping the
 * line each starts on so readers can name it. Empty lines are skipped. A leading BOM
 * is dropped. Cells are returned as written: no trimming, no type guessing.
 */
export function csvRecords(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new UserError(`line ${start}: a quoted cell is not closed`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          throw new UserError(`line ${line}: text after a closing quote`);
        }
      } else {
        let j = i;
        while (j < text.length && text[j] !== ',' && text[j] !== '\n' && !(text[j] === '\r' && text[j + 1] === '\n')) j++;
        cell = text.slice(i, j);
        if (cell.includes('"')) throw new UserError(`line ${line}: a quote inside an unquoted cell`);
        i = j;
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      // end of record: CRLF, LF or end of text
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
  }
  return out;
}
