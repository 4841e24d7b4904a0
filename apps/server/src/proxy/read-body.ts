import type { IncomingMessage } from "node:http";
import { HttpError } from "../http/errors.ts";

/** The largest request body accepted; larger ones get 413 before they are read. */
export const maxBodyBytes = 32 * 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError("too_large", `The request body is larger than the ${maxBodyBytes / 1024 / 1024} MB limit.`, {
    code: "request_too_large",
  });
}

/**
 * Reads the raw body off the socket, keeping the bytes to forward unchanged. Read directly rather than via
 * the web Request, which would copy every chunk through a web stream.
 */
export function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const declared = incoming.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBodyBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        cleanup();
        incoming.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError("invalid_request", `The request body could not be read: ${error.message}`));
    };
    const onAborted = () => onError(new Error("the client closed the connection"));
    function cleanup() {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    }
    const onClose = () => {
      if (!incoming.complete) onAborted();
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}
