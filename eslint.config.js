import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      ".toolchain/",
      "subgraph/build/",
      "subgraph/generated/",
      "ignition/deployments/",
      "indexer/test/fixtures/",
      "sdk/dist/",
      "cli/dist/",
      "apps/relying-party/dist/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
);
