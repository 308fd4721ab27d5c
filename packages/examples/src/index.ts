// The public surface of @tapegrad/examples: re-exports only.

export {
  DIGITS_PATH,
  DIGITS_SPLIT,
  type Digits,
  type DigitsSplit,
  type DigitsTable,
  type LoadDigitsOptions,
  loadDigits,
  readDigitsCsv,
} from "./data/digits.js";
