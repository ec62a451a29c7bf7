import { UserError } from '@mtl-fd/capture';

/**
 * Thresholds of every detector. Each has a documented default
 * (DEFAULT_DIAGNOSE_OPTIONS) and a CLI flag (the kebab-case of its name).
 * "Captures" are a run's capture steps; "consecutive" means adjacent captures.
 */
export interface DiagnoseOptions {
  /** dead task: grad_norm at or below this fraction of the largest other task's grad_norm (0 itself always counts) */
  deadNormFraction: number;
  /** dead task: dead at this many captures at least, up to and including the last */
  deadMinCaptures: number;
  /** dead task, barely recovered: after dying, its gradient share stays at or below this x the largest other task's */
  deadStayShare: number;
  /** dead task, barely recovered: and its probe loss at the last capture is above (1 - this) x its loss at the first */
  deadLossDrop: number;
  /** starved task: grad_norm_share below this multiple of the uniform share 1/T */
  starvedShareFloor: number;
  /** starved task: while another task's share is above this multiple of 1/T */
  dominantShareCeiling: number;
  /** starved task: and the dominant task's share at least this multiple of the starved task's */
  starvedShareRatio: number;
  /** starved task: over at least this many consecutive captures */
  starvedMinCaptures: number;
  /** gradient conflict: grad_cos / param_cos of a pair below this value */
  conflictCos: number;
  /** gradient conflict: over at least this many consecutive captures */
  conflictMinCaptures: number;
  /** conflict spike: grad_conflict_frac / param_conflict_frac rises by at least this above the mean of the previous captures */
  conflictSpikeJump: number;
  /** conflict spike: how many previous captures make the baseline */
  conflictSpikeWindow: number;
  /** lagging task: rel_rate above this value */
  laggingRelRate: number;
  /** lagging task: and the task's own loss_ratio at least this (it kept this much of its first probe loss) */
  laggingMinLossRatio: number;
  /** lagging task: over at least this many consecutive captures */
  laggingMinCaptures: number;
  /** dominance-driven disentanglement: fd rises by at least this from the first to the last capture */
  dominanceFdRise: number;
  /** dominance-driven disentanglement: while one task's grad_norm_share rises by at least this */
  dominanceShareRise: number;
  /** dominance-driven disentanglement: Pearson correlation of fd and that share across captures at least this */
  dominanceCorrelation: number;
  /** dominance-driven disentanglement and entanglement collapse: at least this many captures with fd */
  trendMinCaptures: number;
  /** entanglement collapse: fd at or below this fraction of its earlier peak */
  collapseRatio: number;
  /** entanglement collapse: and at least this far (absolute) below the peak */
  collapseMinDrop: number;
  /** entanglement collapse: for at least this many captures, up to and including the last */
  collapseMinCaptures: number;
  /** ill-conditioned: grad_cond / param_cond above this (null, i.e. infinite, always counts) */
  condMax: number;
  /** ill-conditioned: over at least this many consecutive captures */
  illConditionedMinCaptures: number;
  /** numerical hazard: share of a task's float16/bfloat16 gradient values that are subnormal, at least this */
  hazardSubnormalFraction: number;
  /** numerical hazard: or share of exact zeros at least this, in a capture where some task reaches hazardSubnormalFraction */
  hazardZeroFraction: number;
  /** numerical hazard: in at least this many captures */
  hazardMinCaptures: number;
}

export const DEFAULT_DIAGNOSE_OPTIONS: Readonly<DiagnoseOptions> = Object.freeze({
  deadNormFraction: 1e-6,
  deadMinCaptures: 1,
  deadStayShare: 0.05,
  deadLossDrop: 0.2,
  starvedShareFloor: 0.55,
  dominantShareCeiling: 1.5,
  starvedShareRatio: 3.5,
  starvedMinCaptures: 3,
  conflictCos: -0.05,
  conflictMinCaptures: 3,
  conflictSpikeJump: 0.5,
  conflictSpikeWindow: 3,
  laggingRelRate: 1.5,
  laggingMinLossRatio: 0.7,
  laggingMinCaptures: 3,
  dominanceFdRise: 0.1,
  dominanceShareRise: 0.1,
  dominanceCorrelation: 0.8,
  trendMinCaptures: 3,
  collapseRatio: 0.25,
  collapseMinDrop: 0.05,
  collapseMinCaptures: 2,
  condMax: 100,
  illConditionedMinCaptures: 3,
  hazardSubnormalFraction: 0.05,
  hazardZeroFraction: 0.25,
  hazardMinCaptures: 1,
});

export type DiagnoseOptionName = keyof DiagnoseOptions;

/** How one option is validated and shown (CLI flag, help text, README table). */
export interface DiagnoseOptionSpec {
  name: DiagnoseOptionName;
  /** `--dead-norm-fraction` without the dashes */
  flag: string;
  /** a positive integer count of captures */
  integer: boolean;
  min: number;
  max: number;
  summary: string;
}

function spec(name: DiagnoseOptionName, summary: string, range: { integer?: boolean; min?: number; max?: number } = {}): DiagnoseOptionSpec {
  const integer = range.integer ?? false;
  return {
    name,
    flag: name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
    integer,
    min: range.min ?? (integer ? 1 : 0),
    max: range.max ?? Infinity,
    summary,
  };
}

const count = { integer: true };
const fraction = { min: 0, max: 1 };

/** Every option, in the order the help text and the README list them. */
export const DIAGNOSE_OPTION_SPECS: readonly DiagnoseOptionSpec[] = [
  spec('deadNormFraction', 'dead task: grad_norm <= this x the largest other task\'s', fraction),
  spec('deadMinCaptures', 'dead task: dead at >= this many captures through the last', count),
  spec('deadStayShare', 'dead task: after dying, share <= this x the largest other\'s', fraction),
  spec('deadLossDrop', 'dead task: and its loss fell by less than this fraction', fraction),
  spec('starvedShareFloor', 'starved task: grad_norm_share < this x 1/T', fraction),
  spec('dominantShareCeiling', 'starved task: while another\'s share > this x 1/T', { min: 1 }),
  spec('starvedShareRatio', 'starved task: and the dominant\'s share >= this x its own', { min: 1 }),
  spec('starvedMinCaptures', 'starved task: over >= this many consecutive captures', count),
  spec('conflictCos', 'gradient conflict: grad_cos/param_cos of a pair < this', { min: -1, max: 1 }),
  spec('conflictMinCaptures', 'gradient conflict: over >= this many consecutive captures', count),
  spec('conflictSpikeJump', 'conflict spike: conflict_frac rises >= this above its recent mean', fraction),
  spec('conflictSpikeWindow', 'conflict spike: previous captures in that mean', count),
  spec('laggingRelRate', 'lagging task: rel_rate > this', { min: 1 }),
  spec('laggingMinLossRatio', 'lagging task: and its own loss_ratio >= this', { min: 0 }),
  spec('laggingMinCaptures', 'lagging task: over >= this many consecutive captures', count),
  spec('dominanceFdRise', 'dominance: fd rises >= this, first to last capture', fraction),
  spec('dominanceShareRise', 'dominance: while one task\'s grad_norm_share rises >= this', fraction),
  spec('dominanceCorrelation', 'dominance: Pearson r of fd and that share >= this', { min: -1, max: 1 }),
  spec('trendMinCaptures', 'dominance and collapse: need >= this many captures with fd', { integer: true, min: 2 }),
  spec('collapseRatio', 'collapse: fd <= this x its earlier peak', fraction),
  spec('collapseMinDrop', 'collapse: and fd >= this below the peak', fraction),
  spec('collapseMinCaptures', 'collapse: for >= this many captures through the last', count),
  spec('condMax', 'ill-conditioned: grad_cond/param_cond > this (null = infinite counts)', { min: 1 }),
  spec('illConditionedMinCaptures', 'ill-conditioned: over >= this many consecutive captures', count),
  spec('hazardSubnormalFraction', 'numerical hazard: subnormal share of an F16/BF16 gradient >= this', fraction),
  spec('hazardZeroFraction', 'numerical hazard: or exact-zero share >= this, when some task is over the subnormal share', fraction),
  spec('hazardMinCaptures', 'numerical hazard: in >= this many captures', count),
];

/** Fills in defaults and checks every value; a bad one is a UserError naming the option. */
export function resolveDiagnoseOptions(options: Partial<DiagnoseOptions> = {}): DiagnoseOptions {
  const resolved: DiagnoseOptions = { ...DEFAULT_DIAGNOSE_OPTIONS };
  for (const key of Object.keys(options)) {
    const s = DIAGNOSE_OPTION_SPECS.find((o) => o.name === key);
    if (!s) throw new UserError(`unknown diagnose option '${key}'`);
    const value = options[s.name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < s.min || value > s.max || (s.integer && !Number.isInteger(value))) {
      const range = s.integer ? `an integer >= ${s.min}` : s.max === Infinity ? `a number >= ${s.min}` : `a number in [${s.min}, ${s.max}]`;
      throw new UserError(`diagnose option ${s.name} (--${s.flag}) must be ${range} (got ${String(value)})`);
    }
    resolved[s.name] = value;
  }
  return resolved;
}
