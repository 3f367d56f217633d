export * from "./cert-manager";
export * from "./collector";
export * from "./constants";
export * from "./instrumentation";
export * from "./otel-operator";
export * from "./webhook-wait";
