export * from "./agent-globs";
export * from "./container";
export * from "./detect";
export * from "./evidence";
export * from "./init-containers";
export * from "./live-state";
export * from "./workload";
