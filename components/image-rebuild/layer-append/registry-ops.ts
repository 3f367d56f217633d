/** The registry calls layer-append makes: manifests, blobs, cross-repository mounts, monolithic uploads. */
import { gunzipSync } from "node:zlib";
import type { ImageRef } from "../image-ref";
import { sha256Hex } from "../tag";
import { processCache } from "./process-cache";
import type { RegistryClient } from "./registry";
import { readTar } from "./tar";

export interface Descriptor { mediaType: string; size: number; digest: string }
export interface Manifest { schemaVersion: 2; mediaType?: string; config: Descriptor; layers: Descriptor[]; manifests?: (Descriptor & { platform?: { os?: string; architecture?: string } })[] }

const MANIFEST_TYPES = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

export const pull = (repository: string) => `repository:${repository}:pull`;
export const push = (repository: string) => `repository:${repository}:pull,push`;

/** The image's single-platform manifest; from an index, the linux/amd64 entry (what the fleet's nodes run). */
export async function readManifest(client: RegistryClient, ref: ImageRef): Promise<Manifest> {
    const reference = ref.digest ?? ref.tag ?? "latest";
    const response = await client.expect("GET", `/v2/${ref.repository}/manifests/${reference}`, [200], { scope: pull(ref.repository), headers: { accept: MANIFEST_TYPES } });
    const manifest = JSON.parse(response.body.toString("utf8")) as Manifest;
    manifest.mediaType ??= String(response.headers["content-type"] ?? OCI_MANIFEST);
    if (!manifest.manifests) return manifest;
    const entry = manifest.manifests.find(m => m.platform?.os === "linux" && m.platform.architecture === "amd64");
    if (!entry) throw new Error(`${ref.repository}: the image index has no linux/amd64 manifest`);
    return readManifest(client, { ...ref, digest: entry.digest });
}

export async function readBlob(client: RegistryClient, repository: string, digest: string): Promise<Buffer> {
    const response = await client.expect("GET", `/v2/${repository}/blobs/${digest}`, [200, 307], { scope: pull(repository) });
    const body = response.status === 307
        ? (await client.expect("GET", String(response.headers.location), [200], { scope: pull(repository) })).body
        : response.body;
    if (`sha256:${sha256Hex(body)}` !== digest) throw new Error(`${repository}: blob ${digest} arrived corrupted`);
    return body;
}

/** The agent images are small (the agent jar on busybox), so their files are read whole; whiteouts are applied. */
export async function imageFiles(client: RegistryClient, ref: ImageRef): Promise<Map<string, Buffer>> {
    const manifest = await readManifest(client, ref);
    const key = `${ref.registry}/${ref.repository}@${manifest.config.digest}`;
    const cached = processCache().imageFiles.get(key);
    if (cached) return cached;
    const files = new Map<string, Buffer>();
    for (const blob of manifest.layers) {
        for (const entry of readTar(gunzipSync(await readBlob(client, ref.repository, blob.digest)))) {
            const slash = entry.path.lastIndexOf("/");
            const name = entry.path.slice(slash + 1);
            if (name.startsWith(".wh.")) {
                const removed = entry.path.slice(0, slash + 1) + name.slice(4);
                for (const path of [...files.keys()]) if (path === removed || path.startsWith(`${removed}/`)) files.delete(path);
            } else if (entry.type === "0" || entry.type === "\0") {
                files.set(entry.path, entry.content);
            }
        }
    }
    processCache().imageFiles.set(key, files);
    return files;
}

/** Cross-repository mount: the registry links the blob, nothing is transferred. Falls back to copying through memory. */
export async function mountOrCopy(target: RegistryClient, repository: string, digest: string, source: RegistryClient, fromRepository: string): Promise<void> {
    if ((await target.request("HEAD", `/v2/${repository}/blobs/${digest}`, { scope: push(repository) })).status === 200) return;
    if (source === target) {
        const mount = await target.expect("POST", `/v2/${repository}/blobs/uploads/?mount=${digest}&from=${fromRepository}`, [201, 202], {
            scope: `${push(repository)} ${pull(fromRepository)}`,
        });
        if (mount.status === 201) return;
    }
    await uploadBlob(target, repository, digest, await readBlob(source, fromRepository, digest));
}

/** Monolithic upload (POST then PUT with the digest); skipped when the repository already has the blob. */
export async function uploadBlob(client: RegistryClient, repository: string, digest: string, content: Buffer): Promise<number> {
    const scope = push(repository);
    if ((await client.request("HEAD", `/v2/${repository}/blobs/${digest}`, { scope })).status === 200) return 0;
    const start = await client.expect("POST", `/v2/${repository}/blobs/uploads/`, [202], { scope });
    const location = new URL(String(start.headers.location), "http://placeholder");
    location.searchParams.set("digest", digest);
    const path = String(start.headers.location).startsWith("http") ? location.toString() : `${location.pathname}${location.search}`;
    await client.expect("PUT", path, [201], { scope, headers: { "content-type": "application/octet-stream" }, body: content });
    return content.length;
}
