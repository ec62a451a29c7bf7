/** A task name: 1 to 64 letters, digits, `_`, `-` or `.` (docs/capture-format.md §3). */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export function isTaskName(name: unknown): name is string {
  return typeof name === 'string' && TASK_NAME_PATTERN.test(name);
}
