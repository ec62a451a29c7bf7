import * as tf from '@tensorflow/tfjs';
import { SUM_STD, type TaskName } from './data.js';
import type { DemoTensors } from './tensors.js';

/** One test-set result: the metric of one task of one run. */
export interface TestResult {
  run: string;
  task: TaskName;
  /** `acc` (classification accuracy) or `mae` (mean absolute error of the sum, in digits) */
  metric: 'acc' | 'mae';
  value: number;
  direction: 'higher' | 'lower';
}

/** The test metric that Delta m and the Ranking Similarity use for each task. */
export const TEST_METRIC: Record<TaskName, { metric: TestResult['metric']; direction: TestResult['direction']; label: string }> = {
  left: { metric: 'acc', direction: 'higher', label: 'left acc' },
  right: { metric: 'acc', direction: 'higher', label: 'right acc' },
  sum: { metric: 'mae', direction: 'lower', label: 'sum MAE' },
};

/** Evaluates a trained model on the held-out split, batch by batch. */
export function evaluate(run: string, model: tf.LayersModel, tasks: readonly TaskName[], data: DemoTensors, batchSize = 500): TestResult[] {
  const n = data.test.count;
  const correct = new Array<number>(tasks.length).fill(0);
  const absErr = new Array<number>(tasks.length).fill(0);
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    const parts = tf.tidy(() => {
      const x = tf.slice(data.testX, [s, 0, 0, 0], [size, -1, -1, -1]);
      const out = model.predict(x);
      const preds = Array.isArray(out) ? out : [out];
      return tasks.map((t, i) => {
        const y = tf.slice(data.testY[t], [s, 0], [size, -1]);
        const p = preds[i]!;
        return TEST_METRIC[t].metric === 'acc'
          ? tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(y, 1)), 'float32'))
          : tf.sum(tf.abs(tf.sub(p, y)));
      });
    });
    parts.forEach((p, i) => {
      const v = p.dataSync()[0]!;
      if (TEST_METRIC[tasks[i]!].metric === 'acc') correct[i]! += v;
      else absErr[i]! += v;
    });
    tf.dispose(parts);
  }
  return tasks.map((t, i) => {
    const m = TEST_METRIC[t];
    const value = m.metric === 'acc' ? correct[i]! / n : (absErr[i]! / n) * SUM_STD;
    return { run, task: t, metric: m.metric, value, direction: m.direction };
  });
}
