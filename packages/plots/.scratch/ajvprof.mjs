import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
const schema = JSON.parse(readFileSync('node_modules/vega-lite/build/vega-lite-schema.json', 'utf8'));
for (const opts of [{ allErrors: true }, { allErrors: false }, { allErrors: false, code: { optimize: false } }]) {
  const t = performance.now();
  new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false, ...opts }).compile(schema);
  console.log(JSON.stringify(opts), (performance.now() - t).toFixed(0));
}
