/** A page that does not exist: rendered as a designed 404, not the proxy's JSON error. */
export class NotFound extends Error {
  override name = "NotFound";
}
