import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { CaptureError, jsonKind, quote } from '../src/captureError.js';

describe('CaptureError', () => {
  it('is a UserError with exit code 2 whose message is "file: problem"', () => {
    const err = new CaptureError('runs/a/captures/step-00000001.safetensors', 'missing required tensor "features"');
    expect(err).toBeInstanceOf(UserError);
    expect(err).toBeInstanceOf(Error);
    expect(err.exitCode).toBe(2);
    expect(err.name).toBe('CaptureError');
    expect(err.file).toBe('runs/a/captures/step-00000001.safetensors');
    expect(err.problem).toBe('missing required tensor "features"');
    expect(err.message).toBe('runs/a/captures/step-00000001.safetensors: missing required tensor "features"');
  });

  it('keeps the message on one line', () => {
    const err = new CaptureError('f', 'first\n  second\r\nthird');
    expect(err.message).toBe('f: first second third');
  });
});

describe('quote and jsonKind', () => {
  it('quotes strings with escapes and cuts long ones short', () => {
    expect(quote('a"b\nc')).toBe('"a\\"b\\nc"');
    expect(quote('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}..."`);
  });

  it('names other JSON values by kind, never dumping them', () => {
    expect(quote([1, 2, 3])).toBe('an array');
    expect(jsonKind(null)).toBe('null');
    expect(jsonKind({ a: 1 })).toBe('an object');
    expect(jsonKind(3)).toBe('a number (3)');
    expect(jsonKind(true)).toBe('a boolean (true)');
  });
});
