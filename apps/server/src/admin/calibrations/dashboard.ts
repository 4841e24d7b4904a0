import type { CalibrationStarter } from "./deps.ts";

/**
 * The dashboard's "Start a calibration" button: the same start as the admin API, with the config's
 * candidates and budgets. The workers may not be running yet when the app is built, hence the lookup here.
 */
export async function startFromDashboard(starter: CalibrationStarter, promptId: string): Promise<{ id: string }> {
  const start = starter();
  if (!start) {
    // Shown on the page like the worker's own refusals (the dashboard recognises the name).
    const error = new Error("this server runs no calibration workers");
    error.name = "CalibrationInputError";
    throw error;
  }
  const row = await start({ promptId });
  return { id: row.id };
}
