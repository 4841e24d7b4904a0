import { HttpError } from "../../http/errors.ts";
import { RouteRefusal } from "../../routing/approve.ts";

/** A refused approval is the caller's to fix: 404 for an unknown prompt, 409 otherwise, with the reason. */
export async function asHttp<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof RouteRefusal)) throw error;
    throw new HttpError(error.notFound ? "not_found" : "conflict", error.message, { code: error.code });
  }
}
