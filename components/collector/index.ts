export * from "./collector";
export * from "./collector-config";
export * from "./collector-rbac";
