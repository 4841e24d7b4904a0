/** The version Anthropic's API requires on every call; proofgate sends it on the calls it makes itself and on translated requests. */
export const ANTHROPIC_VERSION = "2023-06-01";
