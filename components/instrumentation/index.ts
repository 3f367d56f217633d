export * from "./instrumentation";
export * from "./instrumentation-spec";
