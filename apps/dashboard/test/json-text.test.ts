import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "../src/json-text.ts";

describe("nestsDeeperThan", () => {
  it("counts brackets outside strings only", () => {
    expect(nestsDeeperThan("[[1]]", 2)).toBe(false);
    expect(nestsDeeperThan("[[[1]]]", 2)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[\\"[[["}', 1)).toBe(false);
    expect(nestsDeeperThan("[".repeat(100_000), 128)).toBe(true);
    expect(nestsDeeperThan("plain text with a [bracket] or two", 1)).toBe(false);
  });
});
