import { UserError } from '@mtl-fd/capture';
import type { ScoreOptions, TidyRow } from '@mtl-fd/metrics';
import type { CaptureResult } from '../captureResult.js';

/** One capture of a shard as merge needs it: its place in the sweep and its whole result. */
export interface CarriedCapture {
  /** the capture's place in the whole sweep's listing */
  position: number;
  identity: string;
  result: CaptureResult;
}

export interface CarryHeader {
  kind: 'mtl-fd-shard-captures';
  shard: number;
  of: number;
  options: ScoreOptions;
  sweepHash: string;
}

// losses may be NaN or infinite, which JSON cannot hold: they travel as strings
const encodeLoss = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const decodeLoss = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/**
 * The carry file: JSON lines, the header first, then one capture a line
 * (`{position, identity, file, run, metaRun?, step, tasks, losses, rows, warnings}`).
 */
export function encodeCarry(header: CarryHeader, captures: readonly CarriedCapture[]): string {
  const lines = [JSON.stringify(header)];
  for (const { position, identity, result: r } of captures) {
    const losses = Object.fromEntries(Object.entries(r.losses).map(([t, v]) => [t, encodeLoss(v)]));
    lines.push(JSON.stringify({ position, identity, ...r, losses }));
  }
  return `${lines.join('\n')}\n`;
}

function isRow(r: unknown): r is TidyRow {
  const o = r as TidyRow;
  return typeof o === 'object' && o !== null && typeof o.run === 'string' && typeof o.step === 'number' && typeof o.metric === 'string';
}

/** Reads a carry file back; anything malformed is a UserError naming the file and line. */
export function decodeCarry(file: string, text: string): { header: CarryHeader; captures: CarriedCapture[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parse = (k: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(lines[k]!) as unknown;
      if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
    } catch {
      // below
    }
    throw new UserError(`${file}: line ${k + 1} is not JSON`);
  };
  if (lines.length === 0) throw new UserError(`${file}: is empty`);
  const header = parse(0) as unknown as CarryHeader;
  if (header.kind !== 'mtl-fd-shard-captures') throw new UserError(`${file}: is not an mtl-fd shard capture file`);
  const captures: CarriedCapture[] = [];
  for (let k = 1; k < lines.length; k++) {
    const o = parse(k);
    const ok =
      typeof o.position === 'number' &&
      typeof o.identity === 'string' &&
      typeof o.file === 'string' &&
      typeof o.run === 'string' &&
      typeof o.step === 'number' &&
      Array.isArray(o.tasks) &&
      typeof o.losses === 'object' &&
      o.losses !== null &&
      Array.isArray(o.rows) &&
      o.rows.every(isRow) &&
      Array.isArray(o.warnings);
    if (!ok) throw new UserError(`${file}: line ${k + 1} is not a scored capture`);
    const losses = Object.fromEntries(Object.entries(o.losses as Record<string, unknown>).map(([t, v]) => [t, decodeLoss(v)]));
    const result: CaptureResult = {
      file: o.file as string,
      run: o.run as string,
      ...(typeof o.metaRun === 'string' ? { metaRun: o.metaRun } : {}),
      step: o.step as number,
      tasks: o.tasks as string[],
      losses,
      rows: o.rows as TidyRow[],
      warnings: o.warnings as string[],
    };
    captures.push({ position: o.position as number, identity: o.identity as string, result });
  }
  return { header, captures };
}
