import { describe, expect, it } from 'vitest';
import { CaptureError } from '../src/captureError.js';
import { captureMetadataStrings, parseCaptureMetadata } from '../src/captureMetadata.js';

describe('capture metadata', () => {
  it('round-trips every key through strings', () => {
    const meta = { step: 1200, tasks: ['seg', 'depth', 'normal.v2'], layout: 'NHWC' as const, epoch: -1, run: 'r 1', producer: 'pytorch 2.4' };
    const strings = captureMetadataStrings(meta);
    expect(strings).toEqual({
      format: 'mtl-fd/capture@1',
      step: '1200',
      tasks: '["seg","depth","normal.v2"]',
      layout: 'NHWC',
      epoch: '-1',
      run: 'r 1',
      producer: 'pytorch 2.4',
    });
    expect(parseCaptureMetadata('f', strings)).toEqual({ format: 'mtl-fd/capture@1', ...meta });
  });

  it('accepts the spacing Python json.dumps writes and ignores unknown keys', () => {
    const meta = parseCaptureMetadata('f', { format: 'mtl-fd/capture@1', step: '0', tasks: '["seg", "depth"]', layout: 'NCHW', note: 'x' });
    expect(meta).toEqual({ format: 'mtl-fd/capture@1', step: 0, tasks: ['seg', 'depth'], layout: 'NCHW' });
  });

  it('leaves out optional keys that are absent', () => {
    const meta = parseCaptureMetadata('f', captureMetadataStrings({ step: 5, tasks: ['a', 'b'], layout: 'NC' }));
    expect(Object.keys(meta).sort()).toEqual(['format', 'layout', 'step', 'tasks']);
  });

  it('does not take a required key from the prototype chain', () => {
    const metadata = Object.create({ step: '1' }) as Record<string, string>;
    Object.assign(metadata, { format: 'mtl-fd/capture@1', tasks: '["a","b"]', layout: 'NC' });
    expect(() => parseCaptureMetadata('f', metadata)).toThrow(new CaptureError('f', 'metadata has no "step" key (required by mtl-fd/capture@1)'));
  });
});
