import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HOOKS_VERSION } from '@mtl-fd/hooks';

describe('HOOKS_VERSION', () => {
  it('is the version in package.json (it goes into run.json and every capture)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(HOOKS_VERSION).toBe(pkg.version);
  });
});
