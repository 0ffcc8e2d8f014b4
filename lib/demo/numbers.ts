/** The demo gateway and its numbers: shared by the seed and by `npm run simulate` (which must not load the database). */
export const DEMO_GATEWAY_ID = "demo";

// Plausible numbers in several countries, all clearly labelled "Demo" on the site.
export const DEMO_NUMBERS = [
  "+998940373339",
  "+998901234567",
  "+447512345678",
  "+447412345678",
  "+12025550143",
  "+4915112345678",
  "+33612345678",
  "+919812345678",
  "+5511987654321",
];
