// An incremental RFC 4180 reader: text goes in chunk by chunk (a chunk may end anywhere, even
// inside a quoted field), complete records come out. Memory holds one record, never the file.
// Quoted fields may contain commas, doubled quotes and line breaks; CRLF and LF both end a record;
// a UTF-8 byte order mark at the start is dropped; blank lines are skipped.

export interface CsvRecord {
  /** Line (1-based) the record starts on: what error reports name. */
  line: number;
  fields: string[];
}

/** A record that does not follow the format (text after a closing quote, an unclosed quote). */
export interface CsvFault {
  line: number;
  message: string;
}

export type CsvItem = CsvRecord | CsvFault;
export const isFault = (item: CsvItem): item is CsvFault => 'message' in item;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'garbage';

/** Where the run of characters with no meaning to the format that starts at `from` ends. */
function runEnd(text: string, from: number): number {
  SPECIAL.lastIndex = from;
  return SPECIAL.exec(text) ? SPECIAL.lastIndex - 1 : text.length;
}
const SPECIAL = /[,"\r\n]/g;

export class CsvReader {
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private started = false;
  private afterCr = false;
  private fault: string | null = null;

  /** Feeds the next piece of text; returns the records it completed. */
  push(text: string): CsvItem[] {
    const out: CsvItem[] = [];
    let start = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      // The LF of a CRLF: the line was counted at the CR (kept as text inside a quoted field).
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === '\n') {
          if (this.state === 'quoted') this.field += ch;
          continue;
        }
      }
      switch (this.state) {
        case 'fieldStart':
          if (ch === '"') this.state = 'quoted';
          else if (ch === ',') this.fields.push('');
          else if (ch === '\r' || ch === '\n') this.endRecord(out, ch);
          else {
            // The run of ordinary characters at once (a slice, not one concatenation each).
            const end = runEnd(text, i);
            this.field = text.slice(i, end);
            this.state = 'unquoted';
            i = end - 1;
          }
          break;
        case 'unquoted':
          if (ch === ',') this.endField('fieldStart');
          else if (ch === '\r' || ch === '\n') this.endRecord(out, ch);
          else if (ch === '"')
            this.fail('a quote inside an unquoted field (quote the whole field and double the quote)');
          else {
            const end = runEnd(text, i);
            this.field += text.slice(i, end);
            i = end - 1;
          }
          break;
        case 'quoted':
          if (ch === '"') this.state = 'quoteInQuoted';
          else {
            // Up to the next quote (or the chunk's end); line breaks in it are counted.
            let end = text.indexOf('"', i);
            if (end === -1) end = text.length;
            const run = text.slice(i, end);
            this.field += run;
            this.countLines(run);
            i = end - 1;
          }
          break;
        case 'quoteInQuoted':
          if (ch === '"') {
            this.field += '"';
            this.state = 'quoted';
          } else if (ch === ',') this.endField('fieldStart');
          else if (ch === '\r' || ch === '\n') this.endRecord(out, ch);
          else this.fail('text after a closing quote');
          break;
        case 'garbage':
          // The rest of a broken record is skipped up to its end of line.
          if (ch === '\r' || ch === '\n') this.endRecord(out, ch);
          break;
      }
    }
    return out;
  }

  /** The end of the text: the last record (a file need not end with a line break). */
  end(): CsvItem[] {
    const out: CsvItem[] = [];
    if (this.state === 'quoted') {
      out.push({ line: this.recordLine, message: 'a quoted field is not closed before the end of the file' });
    } else if (this.state !== 'fieldStart' || this.fields.length > 0 || this.fault) {
      this.endRecord(out, '');
    }
    this.state = 'fieldStart';
    return out;
  }

  private fail(message: string): void {
    this.fault ??= message;
    this.state = 'garbage';
  }

  private endField(next: State): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = next;
  }

  private endRecord(out: CsvItem[], terminator: string): void {
    if (this.fault) out.push({ line: this.recordLine, message: this.fault });
    else if (this.state !== 'fieldStart' || this.fields.length > 0) {
      this.fields.push(this.field);
      out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.fault = null;
    this.state = 'fieldStart';
    if (terminator) this.newLine(terminator);
    this.recordLine = this.line;
  }

  /** Line breaks inside a quoted field: CR, LF and CRLF each one line. */
  private countLines(run: string): void {
    if (!run.includes('\r') && !run.includes('\n')) {
      this.afterCr = false;
      return;
    }
    for (let k = 0; k < run.length; k++) {
      const c = run[k];
      if (c === '\r') {
        this.line++;
        this.afterCr = true;
      } else if (c === '\n' && this.afterCr) this.afterCr = false;
      else if (c === '\n') this.line++;
      else this.afterCr = false;
    }
  }

  private newLine(terminator: string): void {
    this.line++;
    if (terminator === '\r') this.afterCr = true;
  }
}
