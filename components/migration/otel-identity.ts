import { AppConfig } from "../../config";

export const OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME";
export const OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";

/**
 * The env that keeps a service's SkyWalking identity under OTel: service name → `OTEL_SERVICE_NAME`, instance →
 * `service.instance.id`, namespace → `service.namespace`. The operator keeps values a container already sets
 * and only adds the attributes missing, so these win over its defaults (workload name, pod name).
 * Unset identity fields are left to the operator rather than invented here.
 */
export function otelIdentityEnv(app: AppConfig): Array<{ name: string; value: string }> {
    const env: Array<{ name: string; value: string }> = [];
    if (app.serviceName) env.push({ name: OTEL_SERVICE_NAME, value: app.serviceName });
    const attributes: string[] = [];
    if (app.instanceName) attributes.push(`service.instance.id=${encodeAttributeValue(app.instanceName)}`);
    if (app.serviceNamespace) attributes.push(`service.namespace=${encodeAttributeValue(app.serviceNamespace)}`);
    if (attributes.length > 0) env.push({ name: OTEL_RESOURCE_ATTRIBUTES, value: attributes.join(",") });
    return env;
}

/**
 * OTEL_RESOURCE_ATTRIBUTES is `key=value` pairs separated by commas with values percent-encoded (W3C Baggage
 * octets), so a `,`, `=`, `%` or space in a SkyWalking name must not split the list.
 */
export function encodeAttributeValue(value: string): string {
    return value.replace(/[%,=;\s"\\]/g, ch => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
