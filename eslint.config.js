import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NO_ENUM = { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enum.' };

/**
 * The order core (docs/decisions/0009-order-plan-and-writer.md): a customer's exposure changes only by a plan, applied by
 * the one writer, through the credit door (src/modules/orders/orders.exposure.ts).
 */
const ONLY_WRITER_CHANGES_EXPOSURE = {
  group: ['**/orders.exposure.js'],
  importNames: ['changeExposure'],
  message: 'Only the order writer (orders.writer.ts) changes a customer’s exposure: build a plan (orders.plan.ts) and apply it with applyOrderPlan().',
};
const ONLY_PLANS_MAKE_DELTAS = {
  group: ['**/orders.exposure.js'],
  importNames: ['exposureDelta'],
  message: 'Exposure changes are made by the plan builders (orders.plan.ts) from the transition they checked.',
};
const ONLY_THE_DOOR_LOCKS = {
  group: ['**/customers/index.js', '**/customers/customers.service.js', '**/orders/deps.js'],
  importNames: ['lockCustomerRow'],
  message: 'The credit lock is taken by the exposure door (orders.exposure.ts: holdCreditLock() for a credit review, changeExposure() via the writer).',
};
const ONLY_TESTS_SET_STATUS = {
  group: ['**/orders.writer.js'],
  importNames: ['setStatus'],
  message: 'An order status is written by applyOrderPlan() from a plan, not by setStatus().',
};
const ONLY_WRITER_USES_HOT_PATH = {
  group: ['**/orders.hotpath.js'],
  message: 'The single-statement hot path is applied only by the order writer (orders.writer.ts: placeInOneStatement()).',
};
/**
 * A module's statement parts (SQL text over its tables, its rows' system columns) live in its `<domain>.hotpath.ts`,
 * never in its index.ts; only the order core's hot path combines them into one statement.
 */
const ONLY_HOT_PATH_COMBINES_SQL = {
  group: ['**/*.hotpath.js', '!**/orders.hotpath.js'],
  message: 'Other modules’ statement parts (their *.hotpath.ts) are combined only by the order hot path (orders.hotpath.ts); use the module’s index.ts functions.',
};
const NO_EXPOSURE_CASTS = [
  { selector: "TSAsExpression[typeAnnotation.typeName.name='ExposureDelta']", message: 'An ExposureDelta is made by a plan builder, not cast.' },
  { selector: "TSTypeAssertion[typeAnnotation.typeName.name='ExposureDelta']", message: 'An ExposureDelta is made by a plan builder, not cast.' },
];
const NO_ORDER_STATUS_WRITES = {
  selector:
    "CallExpression[callee.property.name='set'][callee.object.callee.property.name='update'][callee.object.arguments.0.name='orders'] > ObjectExpression > Property[key.name='status']",
  message: 'An order status is written only by the order writer (applyOrderPlan()), over the status its plan checked.',
};

const ALL_DOORS = [ONLY_WRITER_CHANGES_EXPOSURE, ONLY_PLANS_MAKE_DELTAS, ONLY_THE_DOOR_LOCKS, ONLY_TESTS_SET_STATUS, ONLY_WRITER_USES_HOT_PATH, ONLY_HOT_PATH_COMBINES_SQL];
/** The doors except those a file exists for. */
const doorsBut = (...allowed) => ({ 'no-restricted-imports': ['error', { patterns: ALL_DOORS.filter((d) => !allowed.includes(d)) }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'migrations/', '.tmp/', 'web/src/app/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      'no-restricted-syntax': ['error', NO_ENUM, ...NO_EXPOSURE_CASTS, NO_ORDER_STATUS_WRITES],
      'no-restricted-imports': ['error', { patterns: ALL_DOORS }],
    },
  },
  // The order core's doors (decision 0009): each file may use the one thing it exists for.
  {
    files: ['src/modules/orders/orders.writer.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_ENUM, ...NO_EXPOSURE_CASTS], ...doorsBut(ONLY_WRITER_CHANGES_EXPOSURE, ONLY_TESTS_SET_STATUS, ONLY_WRITER_USES_HOT_PATH) },
  },
  { files: ['src/modules/orders/orders.plan.ts'], rules: doorsBut(ONLY_PLANS_MAKE_DELTAS) },
  { files: ['src/modules/orders/orders.exposure.ts'], rules: { 'no-restricted-syntax': ['error', NO_ENUM, NO_ORDER_STATUS_WRITES], ...doorsBut(ONLY_THE_DOOR_LOCKS) } },
  { files: ['src/modules/orders/orders.hotpath.ts'], rules: doorsBut(ONLY_HOT_PATH_COMBINES_SQL) },
  { files: ['**/*.test.ts'], rules: doorsBut(ONLY_TESTS_SET_STATUS) },
);
