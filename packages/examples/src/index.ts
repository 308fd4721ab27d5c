// The public surface of @tapegrad/examples: re-exports only.

export { CliError, oneLine } from "./cli/cli-error.js";
export { type DemoIO, type DemoOutcome, runDemo } from "./cli/demo.js";
export { readInitFile } from "./cli/init-file.js";
export { type DemoOptions, type ParseIO, parseDemoArgs } from "./cli/options.js";
export { type Progress, progressBar } from "./cli/progress.js";
export { trainingChartSpec, trainingChartSvg } from "./cli/svg-chart.js";
export { resultsTable } from "./cli/table.js";
export { terminalChart } from "./cli/terminal-chart.js";
export { type RandomShiftOptions, randomShift } from "./data/augment.js";
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
export { makeRings, type Rings } from "./data/rings.js";
export {
  BuggyTwoBranchNet,
  checkModuleGradients,
  runGradientCheckExample,
} from "./examples/gradient-check.js";
export { runIfMain } from "./examples/run-if-main.js";
export { type TwoBranchRun, trainTwoBranch } from "./examples/two-branch.js";
export { TwoBranchNet, type TwoBranchOptions } from "./models/two-branch-net.js";
export { isEvalEpoch, testAccuracy } from "./recipes/evaluate.js";
export { MODERN_RECIPE, modernModel, trainModern } from "./recipes/modern.js";
export { RECIPES } from "./recipes/registry.js";
export { loadSeedInit, SEED_RECIPE, seedModel, trainSeed } from "./recipes/seed.js";
export type { EpochRecord, FloatDType, RecipeName, RecipeOptions, RecipeResult } from "./recipes/types.js";
