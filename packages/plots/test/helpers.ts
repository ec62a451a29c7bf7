import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
let validate: ValidateFunction | undefined;

/** The Vega-Lite JSON schema shipped with the installed vega-lite, compiled once per test file. */
export function vegaLiteValidator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      allowUnionTypes: true,
      formats: {
        'color-hex': /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i,
        uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
        'uri-reference': /^\S*$/,
      },
    });
    validate = ajv.compile(schema);
  }
  return validate;
}

/** Asserts that a spec validates against the Vega-Lite schema, showing the errors when not. */
export function expectValidSpec(spec: unknown): void {
  const v = vegaLiteValidator();
  const ok = v(JSON.parse(JSON.stringify(spec)));
  expect(ok ? [] : (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
}

/** The inline data of a spec. */
export function valuesOf(spec: unknown): Record<string, unknown>[] {
  return (spec as { data: { values: Record<string, unknown>[] } }).data.values;
}
