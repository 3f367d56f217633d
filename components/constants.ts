/** Type tokens for skyshift's ComponentResources: `skyshift:<module>:<Name>`. */
export const TYPE_PREFIX = "skyshift:index";

/** Labels skyshift puts on everything it creates, so `destroy` and audits can find exactly that. */
export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "skyshift" } as const;

/** Provider annotations (pulumi-kubernetes). */
export const PULUMI_WAIT_FOR = "pulumi.com/waitFor";
export const PULUMI_SKIP_AWAIT = "pulumi.com/skipAwait";
export const PULUMI_PATCH_FIELD_MANAGER = "pulumi.com/patchFieldManager";
export const PULUMI_PATCH_FORCE = "pulumi.com/patchForce";
