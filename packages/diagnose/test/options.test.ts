import { describe, expect, it } from 'vitest';
import { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS, resolveDiagnoseOptions } from '../src/index.js';

describe('diagnose options', () => {
  it('has one spec per option, each default inside its own range', () => {
    expect(DIAGNOSE_OPTION_SPECS.map((s) => s.name).sort()).toEqual(Object.keys(DEFAULT_DIAGNOSE_OPTIONS).sort());
    for (const s of DIAGNOSE_OPTION_SPECS) {
      const v = DEFAULT_DIAGNOSE_OPTIONS[s.name];
      expect(v >= s.min && v <= s.max && (!s.integer || Number.isInteger(v)), s.name).toBe(true);
    }
  });
  it('derives kebab-case flags', () => {
    expect(DIAGNOSE_OPTION_SPECS.find((s) => s.name === 'illConditionedMinCaptures')!.flag).toBe('ill-conditioned-min-captures');
  });
  it('fills defaults and keeps given values', () => {
    expect(resolveDiagnoseOptions({ condMax: 50 })).toEqual({ ...DEFAULT_DIAGNOSE_OPTIONS, condMax: 50 });
    expect(resolveDiagnoseOptions({ condMax: undefined })).toEqual(DEFAULT_DIAGNOSE_OPTIONS);
  });
  it('rejects values out of range', () => {
    expect(() => resolveDiagnoseOptions({ conflictCos: -2 })).toThrow(/conflictCos .* must be a number in \[-1, 1\]/);
    expect(() => resolveDiagnoseOptions({ laggingRelRate: 0.5 })).toThrow(/laggingRelRate/);
    expect(() => resolveDiagnoseOptions({ trendMinCaptures: 1 })).toThrow(/trendMinCaptures/);
  });
});
