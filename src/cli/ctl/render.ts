/**
 * Human output of `veloz ctl`: objects as aligned `key: value` lines, lists of objects
 * as tables, lists of rows (book levels) as aligned columns. Generic, so a command an
 * owner adds later prints readably without code here; `--json` prints the result raw.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isScalar(v: unknown): v is null | boolean | number | string {
  return v === null || typeof v !== 'object';
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '-';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function table(header: string[] | null, rows: string[][], indent: string): string[] {
  const all = header === null ? rows : [header, ...rows];
  const widths: number[] = [];
  for (const r of all) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return all.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function renderArray(arr: Json[], indent: string): string[] {
  if (arr.length === 0) return [`${indent}(none)`];
  if (arr.every(isScalar)) return [indent + arr.map(scalar).join(', ')];
  if (arr.every((r) => Array.isArray(r) && r.every(isScalar))) {
    return table(null, (arr as Json[][]).map((r) => r.map(scalar)), indent);
  }
  if (arr.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && Object.values(r).every(isScalar))) {
    const cols: string[] = [];
    for (const r of arr as Record<string, Json>[]) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
    return table(cols, (arr as Record<string, Json>[]).map((r) => cols.map((c) => scalar(r[c]))), indent);
  }
  return arr.flatMap((item, i) => [`${indent}- [${i}]`, ...renderValue(item, indent + '    ')]);
}

function renderObject(obj: Record<string, Json>, indent: string): string[] {
  const keys = Object.keys(obj);
  if (keys.length === 0) return [`${indent}(empty)`];
  const width = Math.max(...keys.filter((k) => isScalar(obj[k])).map((k) => k.length), 0);
  const lines: string[] = [];
  for (const k of keys) {
    const v = obj[k]!;
    if (isScalar(v)) lines.push(`${indent}${(k + ':').padEnd(width + 1)} ${scalar(v)}`);
    else if (Array.isArray(v) && v.every(isScalar) && v.length > 0) lines.push(`${indent}${(k + ':').padEnd(width + 1)} ${v.map(scalar).join(', ')}`);
    else {
      lines.push(`${indent}${k}:`);
      lines.push(...renderValue(v, indent + '  '));
    }
  }
  return lines;
}

function renderValue(v: Json, indent: string): string[] {
  if (isScalar(v)) return [indent + scalar(v)];
  if (Array.isArray(v)) return renderArray(v, indent);
  return renderObject(v, indent);
}

export function renderHuman(result: unknown): string {
  if (result === null || result === undefined) return 'ok';
  return renderValue(result as Json, '').join('\n');
}
