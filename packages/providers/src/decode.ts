import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from "node:zlib";

/**
 * The response bytes as text, undoing the upstream's content-encoding. The client got the encoded bytes
 * as they were; decoding happens only for the capture, after the response has been sent.
 */
export function decodeBody(chunks: readonly Buffer[], encoding: string | undefined): string {
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case "":
    case "identity":
      return raw.toString("utf8");
    case "gzip":
    case "x-gzip":
      return gunzipSync(raw).toString("utf8");
    case "deflate":
      return inflateSync(raw).toString("utf8");
    case "br":
      return brotliDecompressSync(raw).toString("utf8");
    case "zstd":
      return zstdDecompressSync(raw).toString("utf8");
    default:
      throw new Error(`unsupported content-encoding ${encoding}`);
  }
}
