/**
 * A small Dockerfile reader for the packaging tests: instructions grouped by stage,
 * with the global ARG defaults resolved in FROM lines, and parsers for the
 * key=value arguments of ENV and LABEL. It covers the syntax this repository's
 * Dockerfile uses, not all of Docker's.
 */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The FROM image or stage name after global ARG defaults are substituted. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (before the first FROM) and their defaults. */
  args: Map<string, string | undefined>;
  stages: Stage[];
}

export class DockerfileSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerfileSyntaxError';
  }
}

export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const { keyword, args: rest } of instructions(text)) {
    if (keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new DockerfileSyntaxError(`Cannot read FROM ${rest}`);
      stages.push({ from: substitute(m[1]!, args), name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (keyword !== 'ARG') throw new DockerfileSyntaxError(`${keyword} before the first FROM`);
      const [name, value] = splitOnce(rest, '=');
      args.set(name, value === undefined ? undefined : unquote(value));
    } else {
      stages.at(-1)!.instructions.push({ keyword, args: rest });
    }
  }
  return { args, stages };
}

/** The key=value pairs of an ENV or LABEL instruction (values may be double-quoted). */
export function parsePairs(argsText: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const legacy = /^([\w.-]+)\s+([^=]*)$/.exec(argsText);
  if (legacy) return pairs.set(legacy[1]!, legacy[2]!.trim());
  const re = /([\w.-]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < argsText.length && (m = re.exec(argsText))) {
    pairs.set(m[1]!, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  if (re.lastIndex !== argsText.length) throw new DockerfileSyntaxError(`Cannot read key=value pairs in: ${argsText}`);
  return pairs;
}

/** Every instruction of a stage with this keyword. */
export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** A stage and the stages it is built FROM, base first: what a `--target` build runs. */
export function lineage(file: Dockerfile, name: string, seen = new Set<string>()): Stage[] {
  const stage = file.stages.find((s) => s.name === name);
  if (!stage || seen.has(name)) return [];
  seen.add(name);
  return [...lineage(file, stage.from, seen), stage];
}

/** Every instruction with this keyword along a lineage, in build order. */
export function allAlong(stages: Stage[], keyword: string): Instruction[] {
  return stages.flatMap((s) => all(s, keyword));
}

function* instructions(text: string): Generator<Instruction> {
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    yield { keyword: m[1]!.toUpperCase(), args: m[2]!.trim() };
  }
}

function substitute(value: string, args: Map<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => args.get((a ?? b)!) ?? whole);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1) : value;
}
