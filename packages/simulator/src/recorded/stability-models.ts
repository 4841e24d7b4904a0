import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseTar } from "nanotar";

const cache = new Map<string, Set<string>>();

/**
 * The models with repeated runs in strict_json_schema_runs.tgz (file names `<model>_OAI-0.0-<task>-...`),
 * so a scenario that mixes data sets gives the stability families only the models that have runs.
 */
export function stabilityModels(dir: string): Set<string> {
  let models = cache.get(dir);
  if (!models) {
    const archive = gunzipSync(readFileSync(join(dir, "llm_stability", "strict_json_schema_runs.tgz")));
    const names = parseTar(archive, { metaOnly: true }).map((f) => f.name.split("/").pop() ?? "");
    models = new Set(names.filter((n) => n.endsWith(".csv")).map((n) => n.split("_OAI-")[0] as string));
    cache.set(dir, models);
  }
  return models;
}
