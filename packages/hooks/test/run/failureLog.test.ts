import { describe, expect, it } from 'vitest';
import { errorKey } from '@mtl-fd/hooks';
import { FailureLog } from '../../src/run/failureLog.js';

const sysError = (code: string, path: string) => Object.assign(new Error(`${code}: no, open '${path}'`), { code });

describe('FailureLog', () => {
  it('logs each distinct error once and counts every failure', () => {
    const lines: string[] = [];
    const log = new FailureLog((l) => lines.push(l));
    log.report(sysError('ENOSPC', '/r/captures/step-00000001.safetensors'), 'capture at step 1');
    log.report(sysError('ENOSPC', '/r/captures/step-00000002.safetensors'), 'capture at step 2');
    log.report(new Error('task t: loss fails on 3 rows'), 'capture at step 3');
    log.report(new Error('task t: loss fails on 4 rows'), 'capture at step 4');
    log.report(sysError('EACCES', '/r/run.json'), 'writing run.json');
    expect(log.count).toBe(5);
    expect(lines).toEqual([
      "mtl-fd: capture at step 1 failed; training goes on and later captures are still attempted (each distinct error is reported once): ENOSPC: no, open '/r/captures/step-00000001.safetensors'",
      'mtl-fd: capture at step 3 failed; training goes on and later captures are still attempted (each distinct error is reported once): task t: loss fails on 3 rows',
      "mtl-fd: writing run.json failed; training goes on and later captures are still attempted (each distinct error is reported once): EACCES: no, open '/r/run.json'",
    ]);
  });

  it('keys errors by system code, else by message with numbers blanked', () => {
    expect(errorKey(sysError('EROFS', '/a/1'))).toBe('code:EROFS');
    expect(errorKey(new TypeError('bad 12 of 30'))).toBe('TypeError:bad # of #');
    expect(errorKey('thrown string 7')).toBe('Error:thrown string #');
  });
});
