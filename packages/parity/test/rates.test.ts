import { describe, expect, it } from "vitest";
import { DAYS_PER_MONTH, observedRates, observedSpanDays } from "../src/index.ts";

const at = (iso: string) => new Date(iso);

describe("observed rates", () => {
  it("count a five-minute span as one day", () => {
    const rates = observedRates({ captureCount: 12, costUsd: 0.6, firstSeenAt: at("2025-03-01T10:00:00Z"), lastSeenAt: at("2025-03-01T10:05:00Z") });
    expect(rates.spanDays).toBe(1);
    expect(rates.perDay).toBe(12);
    expect(rates.monthlyCostUsd).toBeCloseTo(0.6 * DAYS_PER_MONTH, 12);
  });

  it("divide by ten over ten days", () => {
    const rates = observedRates({ captureCount: 500, costUsd: 2, firstSeenAt: at("2025-03-01T00:00:00Z"), lastSeenAt: at("2025-03-11T00:00:00Z") });
    expect(rates.spanDays).toBe(10);
    expect(rates.perDay).toBe(50);
    expect(rates.monthlyCostUsd).toBeCloseTo((2 / 10) * 30, 12);
    expect(observedSpanDays(at("2025-03-01T00:00:00Z"), at("2025-03-02T12:00:00Z"))).toBe(1.5);
  });
});
