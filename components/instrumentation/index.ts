export * from "./instrumentation";
export * from "./instrumentation-spec";
export * from "./sw8-extension";
