/** Spend limits run per calendar day and month in UTC: a period's id names its counter, its end frees it. */
export interface Period {
  id: string;
  start: Date;
  end: Date;
}

export function dayOf(now: Date): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  return { id: now.toISOString().slice(0, 10), start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
}

export function monthOf(now: Date): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return { id: now.toISOString().slice(0, 7), start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}
