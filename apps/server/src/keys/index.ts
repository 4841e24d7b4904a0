export { generateKey, hashKey, KEY_PREFIX, type NewKey } from "./key-material.ts";
export { createKeyVerifier, DEV_KEY_ID, type KeyVerifierOptions } from "./verifier.ts";
