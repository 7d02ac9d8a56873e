/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: any line
 * Prometheus would reject (or accept but misread) throws, naming the line. Checks the
 * grammar (names, label syntax and escapes, float values, optional timestamp), HELP/TYPE
 * placement and uniqueness, that a metric's lines are not interleaved with another's,
 * duplicate series, non-negative counters, and histogram consistency (an +Inf bucket,
 * cumulative buckets, +Inf == _count, a _sum).
 */
export interface StrictSample {
  /** The sample's own name (with _bucket/_sum/_count). */
  name: string;
  /** The metric family it belongs to. */
  family: string;
  labels: Record<string, string>;
  value: number;
}

export interface StrictExposition {
  samples: StrictSample[];
  types: Map<string, string>;
  help: Map<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Prometheus reads values with Go's strconv.ParseFloat: decimal floats, and inf/infinity/nan
// in any case (prom-client writes NaN as "Nan").
const FLOAT = /^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function fail(lineNo: number, line: string, why: string): never {
  throw new Error(`exposition line ${lineNo}: ${why}: ${JSON.stringify(line.slice(0, 200))}`);
}

function parseValue(text: string, lineNo: number, line: string): number {
  if (!FLOAT.test(text)) fail(lineNo, line, `value ${JSON.stringify(text)} is not a float`);
  const lower = text.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return text.startsWith('-') ? -Infinity : Infinity;
  if (lower.endsWith('nan')) return NaN;
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `i` (at '{'); returns labels and the index after '}'. */
function parseLabels(line: string, i: number, lineNo: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  i++; // '{'
  for (;;) {
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0) fail(lineNo, line, 'label without "="');
    const name = line.slice(i, eq);
    if (!LABEL_NAME.test(name)) fail(lineNo, line, `label name ${JSON.stringify(name)} is not valid`);
    if (name in labels) fail(lineNo, line, `label ${name} appears twice`);
    if (line[eq + 1] !== '"') fail(lineNo, line, `label ${name} value is not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const ch = line[j];
      if (ch === undefined) fail(lineNo, line, `label ${name} value is not terminated`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = line[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else fail(lineNo, line, `bad escape \\${next ?? ''} in label ${name}`);
        j += 2;
        continue;
      }
      value += ch;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') fail(lineNo, line, `expected "," or "}" after label ${name}`);
  }
}

function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
    }
  }
  return name;
}

export function parsePromStrict(text: string): StrictExposition {
  const samples: StrictSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const seriesSeen = new Set<string>();
  const closedFamilies = new Set<string>();
  let current: string | null = null;
  const enter = (family: string, lineNo: number, line: string) => {
    if (family === current) return;
    if (closedFamilies.has(family)) fail(lineNo, line, `metric ${family} continues after another metric's lines`);
    if (current !== null) closedFamilies.add(current);
    current = family;
  };

  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string | undefined];
      if (!METRIC_NAME.test(name)) fail(lineNo, line, `metric name ${name} is not valid`);
      enter(name, lineNo, line);
      if (kind === 'HELP') {
        if (help.has(name)) fail(lineNo, line, `second HELP for ${name}`);
        help.set(name, rest ?? '');
      } else {
        if (types.has(name)) fail(lineNo, line, `second TYPE for ${name}`);
        if (samples.some((s) => s.family === name)) fail(lineNo, line, `TYPE for ${name} after its samples`);
        if (rest === undefined || !TYPES.has(rest)) fail(lineNo, line, `unknown type ${rest ?? ''}`);
        types.set(name, rest);
      }
      return;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) fail(lineNo, line, 'no metric name');
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) fail(lineNo, line, `metric name ${name} is not valid`);
    let labels: Record<string, string> = {};
    let i = nameEnd;
    if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i, lineNo));
    if (line[i] !== ' ') fail(lineNo, line, 'expected a space before the value');
    const parts = line.slice(i + 1).split(' ');
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') fail(lineNo, line, 'expected "value [timestamp]"');
    const value = parseValue(parts[0]!, lineNo, line);
    if (parts.length === 2 && !/^-?[0-9]+$/.test(parts[1]!)) fail(lineNo, line, `timestamp ${parts[1]} is not an integer`);
    const family = familyOf(name, types);
    enter(family, lineNo, line);
    const type = types.get(family) ?? 'untyped';
    if (type === 'counter' && !(value >= 0)) fail(lineNo, line, 'counter value is negative or NaN');
    if (type === 'histogram') {
      if (name === family) fail(lineNo, line, `histogram ${family} sample without _bucket/_sum/_count`);
      if (name.endsWith('_bucket') && labels['le'] === undefined) fail(lineNo, line, 'bucket without le');
      if (name.endsWith('_bucket')) parseValue(labels['le']!, lineNo, line);
    }
    const key = `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
    if (seriesSeen.has(key)) fail(lineNo, line, `duplicate series ${key}`);
    seriesSeen.add(key);
    samples.push({ name, family, labels, value });
  });

  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const groups = new Map<string, { buckets: Array<[number, number]>; count?: number; sum?: number }>();
    const groupOf = (labels: Record<string, string>) => {
      const k = Object.keys(labels).filter((l) => l !== 'le').sort().map((l) => `${l}=${labels[l]}`).join(',');
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { buckets: [] }));
      return g;
    };
    for (const s of samples) {
      if (s.family !== family) continue;
      const g = groupOf(s.labels);
      if (s.name === `${family}_bucket`) g.buckets.push([parseValue(s.labels['le']!, 0, ''), s.value]);
      else if (s.name === `${family}_count`) g.count = s.value;
      else if (s.name === `${family}_sum`) g.sum = s.value;
    }
    for (const [k, g] of groups) {
      const where = `histogram ${family}{${k}}`;
      const sorted = [...g.buckets].sort((a, b) => a[0] - b[0]);
      if (sorted.length === 0 || sorted[sorted.length - 1]![0] !== Infinity) throw new Error(`${where} has no le="+Inf" bucket`);
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${where}: bucket le=${sorted[i]![0]} is below le=${sorted[i - 1]![0]}`);
      }
      if (g.count === undefined || g.sum === undefined) throw new Error(`${where} lacks _count or _sum`);
      if (g.count !== sorted[sorted.length - 1]![1]) throw new Error(`${where}: _count ${g.count} != +Inf bucket ${sorted[sorted.length - 1]![1]}`);
    }
  }
  return { samples, types, help };
}

/** The value of exactly one series (all its labels given). */
export function valueOf(e: StrictExposition, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels);
  const hits = e.samples.filter(
    (s) => s.name === name && Object.keys(s.labels).length === want.length && want.every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${hits.length}`);
  return hits[0]!.value;
}
