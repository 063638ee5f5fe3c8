/**
 * Splits a RECORD line in the canonical layout sources print,
 * `{"type":"RECORD","record":{"stream":"S","data":{…},"emitted_at":N}}`,
 * without parsing its data: the data's text goes to DuckDB as it is, and
 * DuckDB finds any fault in it. Any other layout returns undefined, and the
 * writer parses the line in full.
 */

const PREFIX = '{"type":"RECORD","record":{"stream":"';
const DATA = '","data":{';
const EMITTED = ',"emitted_at":';
const SAFE_NAME = /^[A-Za-z0-9_]+$/;
const DIGITS = /^\d{1,15}$/;

export interface RecordLine {
  stream: string;
  dataText: string;
  emittedAt: number;
}

export function splitRecordLine(line: string): RecordLine | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  const nameEnd = line.indexOf('"', PREFIX.length);
  if (nameEnd < 0 || !line.startsWith(DATA, nameEnd)) return undefined;
  const stream = line.slice(PREFIX.length, nameEnd);
  // A name with an escape in it is left to the full parse.
  if (!SAFE_NAME.test(stream)) return undefined;
  const emitted = line.lastIndexOf(EMITTED);
  if (emitted < nameEnd || !line.endsWith('}}')) return undefined;
  const digits = line.slice(emitted + EMITTED.length, line.length - 2);
  if (!DIGITS.test(digits)) return undefined;
  const dataText = line.slice(nameEnd + DATA.length - 1, emitted);
  if (!dataText.endsWith('}')) return undefined;
  return { stream, dataText, emittedAt: Number(digits) };
}
