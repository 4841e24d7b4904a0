import { classification } from "./classification.ts";
import { description } from "./description.ts";
import { extraction } from "./extraction.ts";
import { qualification } from "./qualification.ts";
import { summarisation } from "./summarisation.ts";
import type { Family, FamilyKind } from "./types.ts";

export const FAMILIES: Record<FamilyKind, Family<any>> = {
  classification,
  extraction,
  qualification,
  summarisation,
  description,
};
export type { Family, FamilyKind, Meaning, Plan } from "./types.ts";
export { FAMILY_KINDS } from "./types.ts";
