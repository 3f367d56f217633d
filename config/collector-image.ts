import type { CollectorConfig } from "./collector";
import { OperatorSource, PlatformConfig } from "./platform";
import type { ConfigWarning } from "./problems";

/**
 * Image names of the collector distributions built without the contrib `skywalking` receiver
 * (opentelemetry-collector-releases, distributions/<name>/manifest.yaml): core `otelcol`, `otelcol-k8s` and
 * `otelcol-otlp`. `otelcol-contrib` (`opentelemetry-collector-contrib`) has it.
 */
const WITHOUT_SKYWALKING_RECEIVER: Readonly<Record<string, string>> = {
    "opentelemetry-collector": "otelcol (core)",
    "opentelemetry-collector-k8s": "otelcol-k8s",
    "opentelemetry-collector-otlp": "otelcol-otlp",
};
const CONTRIB_IMAGE_NAME = "opentelemetry-collector-contrib";

export interface ImageCheck {
    readonly problems: string[];
    readonly warnings: ConfigWarning[];
}

/**
 * With `collector.skywalkingReceiver` on, the collector image must contain the receiver. A distribution known to
 * lack it is a problem, not a warning: the collector rejects a config naming a component it was not built with
 * and does not start, which stops the OTLP pipeline of every migrated app too. An image the program cannot see
 * (the operator's default when the operator is not installed by this stack) is a warning.
 */
export function skywalkingReceiverImageCheck(collector: CollectorConfig, platform: PlatformConfig): ImageCheck {
    if (!collector.skywalkingReceiver) return { problems: [], warnings: [] };
    const { collectorImage } = platform.operator;
    const [path, image] = collector.image !== undefined ? ["collector.image", collector.image]
        : platform.operator.source === OperatorSource.helm ? ["platform.operator.collectorImage", `${collectorImage.repository}:${collectorImage.tag}`]
        : [undefined, undefined];
    if (path === undefined || image === undefined) {
        return { problems: [], warnings: [{
            path: "collector.image",
            message: `is unset and the operator is ${platform.operator.source}, so the operator's default collector image runs; ` +
                "the operator's own default (core otelcol) and its Helm chart's (otelcol-k8s) have no skywalking receiver — " +
                `set collector.image to an otelcol-contrib image (…/${CONTRIB_IMAGE_NAME}:<version>) unless that operator's --collector-image has it`,
        }] };
    }
    const { name, contrib } = imageName(image);
    const distribution = WITHOUT_SKYWALKING_RECEIVER[name];
    if (distribution === undefined) return { problems: [], warnings: [] };
    const fix = path === "collector.image" ? `set collector.image to "${contrib}"` : `set collector.image (or ${path}.repository) to the contrib distribution, "${contrib}"`;
    return { problems: [`${path}: "${image}" is the ${distribution} distribution, which has no skywalking receiver, so the collector ` +
        `would not start with collector.skywalkingReceiver on — ${fix}`], warnings: [] };
}

/** The last path segment of an image reference without tag or digest, and the same reference naming the contrib image. */
function imageName(image: string): { name: string; contrib: string } {
    const withoutDigest = image.split("@")[0];
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
    const tag = colon > slash ? withoutDigest.slice(colon) : "";
    const name = repository.slice(slash + 1);
    return { name, contrib: `${repository.slice(0, slash + 1)}${CONTRIB_IMAGE_NAME}${tag}` };
}
