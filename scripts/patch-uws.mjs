#!/usr/bin/env node
// Makes uWebSockets.js's prebuilt Linux binaries load on glibc < 2.38 (Debian 12).
//
// They need GLIBC_2.38 only for __isoc23_strtol, __isoc23_strtoul and __isoc23_sscanf.
// This rewrites, in each uws_linux_*.node: the GLIBC_2.38 version requirement to weak
// (VER_FLG_WEAK: the loader no longer refuses the file) and those three symbol
// references to unversioned, so they bind to the definitions in
// build/Release/veloz_glibc_compat.node, which src/net/uws.ts loads RTLD_GLOBAL first.
// Idempotent; does nothing on glibc >= 2.38. Any other unmet symbol aborts with a
// message naming it rather than producing a binary that fails later.
import { readFileSync, writeFileSync, renameSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

const SHIMMED = new Set(['__isoc23_strtol', '__isoc23_strtoul', '__isoc23_sscanf']);
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const VER_FLG_WEAK = 0x2;

function glibcVersion() {
  const v = process.report?.getReport()?.header?.glibcVersionRuntime;
  return typeof v === 'string' ? v.split('.').map(Number) : null;
}

function cstr(buf, off) {
  let end = off;
  while (buf[end] !== 0) end++;
  return buf.toString('latin1', off, end);
}

export function patchElf(path) {
  const buf = readFileSync(path);
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error(`${path}: not a little-endian ELF64 file`);
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
      link: buf.readUInt32LE(o + 0x28),
      info: buf.readUInt32LE(o + 0x2c),
      entsize: Number(buf.readBigUInt64LE(o + 0x38)),
    });
  }
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  if (!dynsym || !versym || !verneed) return { changed: false, why: 'no symbol versioning' };
  const strtab = sections[verneed.link].offset;
  const dynstr = sections[dynsym.link].offset;

  const tooNew = new Map(); // version index -> name
  let changed = false;
  let vn = verneed.offset;
  for (let n = 0; n < verneed.info; n++) {
    const file = cstr(buf, strtab + buf.readUInt32LE(vn + 4));
    const cnt = buf.readUInt16LE(vn + 2);
    let aux = vn + buf.readUInt32LE(vn + 8);
    for (let k = 0; k < cnt; k++) {
      const name = cstr(buf, strtab + buf.readUInt32LE(aux + 8));
      const m = /^GLIBC_(\d+)\.(\d+)/.exec(name);
      if (file.startsWith('libc.so') && m && (Number(m[1]) > 2 || Number(m[2]) >= 38)) {
        tooNew.set(buf.readUInt16LE(aux + 6) & 0x7fff, name);
        const flags = buf.readUInt16LE(aux + 4);
        if (!(flags & VER_FLG_WEAK)) {
          buf.writeUInt16LE(flags | VER_FLG_WEAK, aux + 4);
          changed = true;
        }
      }
      aux += buf.readUInt32LE(aux + 12);
    }
    vn += buf.readUInt32LE(vn + 12);
  }
  const count = dynsym.size / dynsym.entsize;
  for (let i = 0; i < count; i++) {
    const ver = buf.readUInt16LE(versym.offset + i * 2) & 0x7fff;
    if (!tooNew.has(ver)) continue;
    const name = cstr(buf, dynstr + buf.readUInt32LE(dynsym.offset + i * dynsym.entsize));
    if (!SHIMMED.has(name)) throw new Error(`${path}: needs ${name}@${tooNew.get(ver)}, which veloz_glibc_compat does not provide`);
    buf.writeUInt16LE(1, versym.offset + i * 2); // VER_NDX_GLOBAL: unversioned
    changed = true;
  }
  if (changed) {
    writeFileSync(path + '.tmp', buf, { mode: 0o755 });
    renameSync(path + '.tmp', path);
  }
  return { changed, why: changed ? `patched ${[...tooNew.values()].join(', ')}` : 'already patched' };
}

function main() {
  const v = glibcVersion();
  if (process.platform !== 'linux' || !v) return;
  if (v[0] > 2 || (v[0] === 2 && v[1] >= 38)) return;
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@btc-vision/uwebsockets.js'));
  } catch {
    return; // not installed: nothing to patch
  }
  for (const f of readdirSync(dir)) {
    if (!/^uws_linux_.*\.node$/.test(f)) continue;
    const res = patchElf(join(dir, f));
    if (res.changed) console.log(`patch-uws: ${f}: ${res.why} (glibc ${v.join('.')})`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) main();
