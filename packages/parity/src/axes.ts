/** The axes two outputs are compared on, in the order reports list them. Import-free, so a table can use it without the engine. */
export const AXES = ["format", "categorical", "semantic"] as const;
export type AxisName = (typeof AXES)[number];
