import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The `mtl-fd` bin as npm links it: a committed file (it must exist before the build,
// or npm links nothing on a fresh clone) that loads the build.
const PKG_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(PKG_DIR, '..', '..');
const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; files: string[] };
const BIN = join(PKG_DIR, pkg.bin['mtl-fd']!);

const node = (file: string, args: string[]) => spawnSync(process.execPath, [file, ...args], { encoding: 'utf8' });

let tmp: string | undefined;
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

describe('the mtl-fd bin', () => {
  it('is a committed, executable file outside dist/ that npm packs', () => {
    expect(pkg.bin['mtl-fd']).toBe('bin/mtl-fd.js');
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    expect(pkg.files).toContain('bin');
  });

  it('is what npm install linked as node_modules/.bin/mtl-fd', () => {
    expect(realpathSync(join(ROOT, 'node_modules', '.bin', 'mtl-fd'))).toBe(realpathSync(BIN));
  });

  it('runs the built command through a symlink, as npm links it', () => {
    tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-bin-'));
    const link = join(tmp, 'mtl-fd');
    symlinkSync(BIN, link);
    const version = node(link, ['--version']);
    expect(version.stderr).toBe('');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = node(link, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: mtl-fd <command>');
  });

  it('says the build is missing, in one line with exit 2, when there is no dist/', () => {
    tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-bin-'));
    mkdirSync(join(tmp, 'bin'));
    copyFileSync(BIN, join(tmp, 'bin', 'mtl-fd.js'));
    copyFileSync(join(PKG_DIR, 'package.json'), join(tmp, 'package.json'));
    const r = node(join(tmp, 'bin', 'mtl-fd.js'), ['--help']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/the build is missing \(.*dist.main\.js\): run 'npm run build'/);
  });

  it('is built on install: the root package runs tsc -b in prepare', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(root.scripts.prepare).toMatch(/\btsc -b\b/);
  });
});
