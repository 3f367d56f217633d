/** The language registry and everything each language module knows; callers look a language up, never switch on it. */
export * from "./registry";
export * from "./container";
export * from "./language";
export * from "./live-pod";
export * from "./shell-words";
export { classifyJar, copiesSkywalkingAgent, SWCK_ANNOTATION_DOMAIN, SWCK_CONTAINER_ANNOTATION, SWCK_INIT_CONTAINER, SWCK_INJECT_LABEL, SWCK_SERVICE_NAME_ANNOTATION } from "./java";
export type { JarKind } from "./java";
export * from "./rewrite";
export * from "./backend-address";
export * from "./bridge";
