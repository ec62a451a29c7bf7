import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * The file URL of a workspace package's built entry point, resolved by its name the way
 * Node resolves it (node_modules -> package.json `exports`). Child processes import it:
 * they run outside vitest, so they need the build (`npm test` builds first).
 */
export function builtPackage(name: string): string {
  return pathToFileURL(require.resolve(name)).href;
}
