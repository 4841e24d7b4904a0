import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * The bench lives at the repository root, outside any workspace package, so bare imports would not find
 * apps/server's dependencies; this loads them as apps/server itself resolves them.
 */
const require = createRequire(new URL("../apps/server/package.json", import.meta.url));

export async function fromServer<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(require.resolve(name)).href)) as T;
}
