import type { z } from "zod";

declare const stored: unique symbol;
/** A JSON document as its jsonb column holds it. Only the document's reader turns it back into a value. */
export type Stored<Name extends string> = { readonly [stored]: Name };

/** A stored document that cannot be read: absent, malformed, or written by a newer proofgate. */
export class DocumentError extends Error {
  readonly code = "document_unreadable";
  readonly document: string;

  constructor(document: string, reason: string) {
    super(`the stored ${document} cannot be read: ${reason}`);
    this.name = "DocumentError";
    this.document = document;
  }
}

export interface Document<Name extends string, Doc extends object, Written extends object = Doc> {
  readonly name: Name;
  readonly version: number;
  /** The value to write: the document with its version (`v`). */
  store(doc: Written): Stored<Name>;
  /** The document, upgraded from any older version; DocumentError when it cannot be read. */
  read(raw: Stored<Name> | unknown): Doc;
  /** null when absent (SQL null) or unreadable: for pages and checks that treat both as "none". */
  readOrNull(raw: Stored<Name> | unknown): Doc | null;
}

export interface DocumentOptions<Name extends string, Doc extends object, Written extends object> {
  name: Name;
  version: number;
  /** Parses the current version (without its `v`); a transform may make the read type differ from the written one. */
  schema: z.ZodType<Doc, unknown>;
  /** Upgrades a document of version k to k + 1, for every k below `version`. */
  upgrades?: Readonly<Record<number, (older: unknown) => unknown>>;
  /** How a row written before documents carried a version reads as version 1 (e.g. a bare array). */
  unversioned?: (raw: unknown) => unknown;
  /** The field holding the version; "v" unless the engine object has its own (FormatContract: "version"). */
  versionKey?: "v" | "version";
  /**
   * The JSON to write when it is not `{ ...doc, v }`: a document whose rows have always been another shape
   * (a bare array) keeps being written so at version 1, and `unversioned` reads it back.
   */
  write?: (doc: Written) => unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One stored document: its versioned schema, its writer and its one reader. Versioning rule: an object
 * without its version key is version 1, which is what every row written before documents carried a
 * version is.
 */
export function defineDocument<Name extends string, Doc extends object, Written extends object = Doc>(
  o: DocumentOptions<Name, Doc, Written>,
): Document<Name, Doc, Written> {
  const key = o.versionKey ?? "v";
  const fail = (reason: string) => new DocumentError(o.name, reason);

  function versioned(raw: unknown): { version: number; body: unknown } {
    if (isRecord(raw) && key in raw) {
      const version = raw[key];
      if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
        throw fail(`its version ${JSON.stringify(version)} is not a version`);
      if (key === "v") {
        const { v: _v, ...body } = raw;
        return { version, body };
      }
      return { version, body: raw };
    }
    return { version: 1, body: o.unversioned ? o.unversioned(raw) : raw };
  }

  function read(raw: unknown): Doc {
    if (raw === null || raw === undefined) throw fail("there is none");
    const { version, body } = versioned(raw);
    if (version > o.version) throw fail(`it is version ${version}, written by a newer proofgate (this one reads up to ${o.version})`);
    let value = body;
    for (let k = version; k < o.version; k++) {
      const upgrade = o.upgrades?.[k];
      if (!upgrade) throw fail(`there is no upgrade from version ${k}`);
      try {
        value = upgrade(value);
      } catch (error) {
        throw fail(`its upgrade from version ${k} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const parsed = o.schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(issue ? `${issue.path.join(".") || "the document"}: ${issue.message}` : "it does not match its schema");
    }
    return parsed.data;
  }

  return {
    name: o.name,
    version: o.version,
    store(doc) {
      // The one cast of a document value: it makes the brand that only read() takes apart again.
      return (o.write ? o.write(doc) : { ...doc, [key]: o.version }) as unknown as Stored<Name>;
    },
    read,
    readOrNull(raw) {
      if (raw === null || raw === undefined) return null;
      try {
        return read(raw);
      } catch (error) {
        if (error instanceof DocumentError) return null;
        throw error;
      }
    },
  };
}
