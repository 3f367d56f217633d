export * from "./container";
export * from "./detect";
export * from "./flags";
export * from "./init-containers";
export * from "./patterns";
export * from "./workload";
export * from "./live-state";
