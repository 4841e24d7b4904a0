import type { Rng } from "../rng.ts";
import type { Family, InputTruth, Meaning } from "./types.ts";
import { wordCount } from "./words.ts";

// feature id -> ways a copywriter says it; every phrasing is unique to its feature
const FEATURES: Record<string, readonly string[]> = {
  waterproof: ["fully waterproof", "keeps water out completely", "waterproof construction"],
  lightweight: ["feather-light", "remarkably lightweight", "weighs next to nothing"],
  "usb-c charging": ["charges over USB-C", "USB-C charging", "tops up from any USB-C cable"],
  "two-year warranty": ["two-year warranty", "backed for two full years", "covered by a 2-year guarantee"],
  foldable: ["folds flat", "foldable design", "collapses to pocket size"],
  "machine washable": ["machine washable", "goes straight in the washing machine", "washes clean in the machine"],
  "recycled packaging": ["ships in recycled packaging", "recycled packaging", "plastic-free recycled box"],
  "noise cancelling": ["noise cancelling", "shuts out background noise", "active noise cancellation"],
  "dishwasher safe": ["dishwasher safe", "safe in the dishwasher", "cleans up in the dishwasher"],
  "adjustable strap": ["adjustable strap", "strap adjusts to fit", "fully adjustable shoulder strap"],
  "ten-hour battery": ["ten-hour battery", "battery lasts ten hours", "10 hours on a single charge"],
  "scratch resistant": ["scratch resistant", "shrugs off scratches", "scratch-proof finish"],
};
const FEATURE_IDS = Object.keys(FEATURES);
const MATERIALS = ["bamboo", "aluminium", "organic cotton", "stainless steel", "recycled polyester", "oak", "ceramic"];
const CATEGORIES = ["backpack", "water bottle", "desk lamp", "travel mug", "headphones", "lunch box", "tote bag"];
const COLOURS = ["forest green", "slate grey", "sand", "navy", "terracotta", "charcoal"];
const NAMES = ["Trailhead", "Northstar", "Cove", "Summit", "Ember", "Harbor", "Meadow", "Quarry"];

export type Product = { name: string; category: string; material: string; colour: string; features: string[]; price: number };
export type ProductInput = InputTruth & { product: Product };

function alter(p: Product, drift: number): Product {
  const q = { ...p, features: [...p.features] };
  if (drift < 3) {
    // an invented feature the data never mentioned
    const unused = FEATURE_IDS.filter((f) => !p.features.includes(f));
    q.features[drift] = unused[(p.name.length + drift) % unused.length] as string;
  } else {
    q.material = MATERIALS[(MATERIALS.indexOf(p.material) + 1) % MATERIALS.length] as string;
  }
  return q;
}

function readMeaning(text: string): { material: string | null; features: string[] } {
  const low = text.toLowerCase();
  const features = FEATURE_IDS.filter((f) => FEATURES[f]!.some((w) => low.includes(w.toLowerCase())));
  const material = MATERIALS.find((m) => low.includes(m)) ?? null;
  return { material, features: features.sort() };
}

export const description: Family<ProductInput> = {
  kind: "description",
  system:
    "Write a product description of 40 to 90 words for an online shop from the product data. One paragraph " +
    "of plain prose, no headings or bullet points. Mention the material and every listed feature; do not " +
    "invent features.",
  labels: null,
  formatErrorHidesLabel: false,
  driftVariants: 4,
  responseFormat: "text",
  schema: null,
  generate(rng) {
    const product: Product = {
      name: `${rng.pick(NAMES)} ${rng.pick(CATEGORIES).replace(/\b\w/g, (c) => c.toUpperCase())}`,
      category: "",
      material: rng.pick(MATERIALS),
      colour: rng.pick(COLOURS),
      features: rng.shuffle(FEATURE_IDS).slice(0, 3),
      price: 19 + rng.int(180),
    };
    product.category = product.name.split(" ").slice(1).join(" ").toLowerCase();
    return { truth: null, confusable: null, product };
  },
  renderInput: ({ product }) => `Product data:\n${JSON.stringify(product, null, 2)}`,
  parseInput(text) {
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start < 0 || end < start) return null;
    try {
      const p = JSON.parse(text.slice(start, end + 1)) as Product;
      if (!p.name || !Array.isArray(p.features) || p.features.length < 3 || !p.material) return null;
      return { truth: null, confusable: null, product: p };
    } catch {
      return null;
    }
  },
  render(input, plan, rng) {
    const p = plan.drift === null ? input.product : alter(input.product, plan.drift);
    const say = (f: string) => rng.pick(FEATURES[f] ?? [f]);
    const [a, b, c] = rng.shuffle(p.features).map(say) as [string, string, string];
    const opener = rng.pick([
      `Meet the ${p.name}, crafted from ${p.material} in a ${p.colour} finish.`,
      `The ${p.name} pairs ${p.material} construction with a ${p.colour} look.`,
      `Made from ${p.material}, the ${p.colour} ${p.name} is built for everyday use.`,
    ]);
    const middle = rng.pick([
      `Standout details: ${a}, ${b} and ${c}.`,
      `Expect ${a}, ${b} and ${c} - details that matter when you are on the move.`,
      `Highlights include ${a}, ${b}, plus ${c}.`,
    ]);
    const closer = rng.pick([
      `At $${p.price}, it is an easy upgrade for your daily routine.`,
      `Yours for $${p.price}, ready to ship today.`,
      `A thoughtful pick at $${p.price} that will last for years.`,
    ]);
    const usage = rng.pick([
      "Designed to look good and work hard, it suits the home, the office and long weekends away alike.",
      "It is the kind of everyday piece that quietly earns its place, day after day, wherever you take it.",
      "Thoughtful details and honest materials make it a pleasure to use from the very first day.",
    ]);
    const text = `${opener} ${middle} ${usage} ${closer}`;
    if (!plan.formatError) return text;
    // far too long either way, so a length band learnt from the baseline rejects it
    const fluff = "Whether you are commuting, travelling or simply relaxing at home, it fits right in. ";
    if (rng.chance(0.5)) return `# ${p.name}\n\n- ${a}\n- ${b}\n- ${c}\n\n${text} ${fluff.repeat(5)}`.trim();
    return `${text} ${fluff.repeat(6)}`.trim();
  },
  decode(text): Meaning | null {
    const m = readMeaning(text);
    if (!m.material && m.features.length === 0) return null;
    return { label: null, content: JSON.stringify(m) };
  },
  checkFormat(text) {
    const n = wordCount(text);
    return n >= 35 && n <= 100 && !/^\s*([-*#]|\d+\.)/m.test(text);
  },
};
