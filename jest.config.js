/** Unit tests run under Pulumi mocks in seconds; e2e tests need the lab (npm run lab:up) and run one file at a time. */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: { ...require("./tsconfig.json").compilerOptions, isolatedModules: true } }] };
// Timeouts are per command (package.json): jest 29 takes testTimeout only globally, and a hung unit test
// (an Output that never resolves) should fail in seconds while e2e cases drive real rollouts for minutes.
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["\\.e2e\\.test\\.ts$", "/node_modules/"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/e2e/**/*.e2e.test.ts"],
    },
  ],
};
