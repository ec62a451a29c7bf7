export { selectBackend, BACKEND_CHOICES, BACKEND_ENV } from './select.js';
export type { BackendChoice, BackendInfo, SelectBackendOptions } from './select.js';
export { installKernelFixes, WASM_KERNEL_FIXES } from './kernels/index.js';
