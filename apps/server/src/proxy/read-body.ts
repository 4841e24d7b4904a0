import type { IncomingMessage } from "node:http";
import { HttpError } from "../http/errors.ts";
import type { InFlightBudget, Reservation } from "./in-flight.ts";

/** The largest request body accepted; larger ones get 413 before they are read. */
export const maxBodyBytes = 32 * 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError("too_large", `The request body is larger than the ${maxBodyBytes / 1024 / 1024} MB limit.`, {
    code: "request_too_large",
  });
}

export interface Body {
  raw: Buffer;
  /** The body's share of the in-flight budget; whoever ends the exchange releases it. */
  reservation: Reservation;
}

/**
 * Reads the raw body off the socket, keeping the bytes to forward unchanged. Read directly rather than via
 * the web Request, which would copy every chunk through a web stream. The body's bytes are reserved in
 * the in-flight budget before the first one is read (waiting, unread, while the budget is full); with a
 * content-length they land in one buffer of that size as they arrive, so the body is never held twice.
 */
export async function readBody(incoming: IncomingMessage, budget: InFlightBudget): Promise<Body> {
  const header = incoming.headers["content-length"];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > maxBodyBytes) throw tooLarge();
  const reservation = await budget.acquire(declared ?? 0);
  try {
    const raw = await (declared === null ? readChunked(incoming, reservation) : readDeclared(incoming, declared));
    return { raw, reservation };
  } catch (error) {
    reservation.release();
    throw error;
  }
}

function readError(error: Error): HttpError {
  return new HttpError("invalid_request", `The request body could not be read: ${error.message}`);
}

/** Reads the body chunk by chunk until it ends; `onData` takes each chunk and may pause the request. */
function read(incoming: IncomingMessage, onData: (chunk: Buffer, fail: (error: HttpError) => void) => void, onEnd: () => Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      cleanup();
      // The rest is read and thrown away, so the answer can still go out on this connection.
      incoming.resume();
      reject(error);
    };
    const data = (chunk: Buffer) => onData(chunk, fail);
    const end = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(onEnd());
    };
    const error = (e: Error) => fail(readError(e));
    const close = () => {
      if (!incoming.complete) fail(readError(new Error("the client closed the connection")));
    };
    function cleanup() {
      incoming.off("data", data);
      incoming.off("end", end);
      incoming.off("error", error);
      incoming.off("close", close);
    }
    incoming.on("data", data);
    incoming.on("end", end);
    incoming.on("error", error);
    incoming.on("close", close);
  });
}

function readDeclared(incoming: IncomingMessage, declared: number): Promise<Buffer> {
  const body = Buffer.allocUnsafe(declared);
  let size = 0;
  return read(
    incoming,
    (chunk, fail) => {
      // Node's parser stops at content-length; this guards the copy all the same.
      if (size + chunk.length > declared) return fail(readError(new Error("the body is longer than its content-length")));
      chunk.copy(body, size);
      size += chunk.length;
    },
    () => (size === declared ? body : body.subarray(0, size)),
  );
}

/** No content-length: each chunk is reserved as it arrives; while the budget is full the socket is not read. */
function readChunked(incoming: IncomingMessage, reservation: Reservation): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return read(
    incoming,
    (chunk, fail) => {
      size += chunk.length;
      if (size > maxBodyBytes) return fail(tooLarge());
      chunks.push(chunk);
      const waiting = reservation.grow(chunk.length);
      if (!waiting) return;
      incoming.pause();
      waiting.then(
        () => incoming.resume(),
        (error: HttpError) => fail(error),
      );
    },
    () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)),
  );
}
