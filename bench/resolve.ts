import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * The bench lives at the repository root, outside any workspace package, so bare imports would not find
 * the packages' dependencies; these load them as apps/server (or packages/providers) resolves them.
 */
const server = createRequire(new URL("../apps/server/package.json", import.meta.url));
const providers = createRequire(new URL("../packages/providers/package.json", import.meta.url));

export async function fromServer<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(server.resolve(name)).href)) as T;
}

export async function fromProviders<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(providers.resolve(name)).href)) as T;
}
