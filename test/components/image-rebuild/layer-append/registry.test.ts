import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { RegistryClient } from "../../../../components/image-rebuild/layer-append/registry";

/** A registry front door that demands a token, and a token endpoint that demands the right Basic credentials. */
function fakeRegistry(mode: "bearer" | "basic"): Promise<{ server: string; seen: string[]; close(): void }> {
    const seen: string[] = [];
    const app = http.createServer((request, response) => {
        const url = new URL(request.url ?? "/", "http://x");
        seen.push(`${request.method} ${url.pathname}${url.search} ${request.headers.authorization ?? "-"}`);
        if (url.pathname === "/token") {
            const ok = request.headers.authorization === `Basic ${Buffer.from("ci:s3cret").toString("base64")}`;
            response.writeHead(ok ? 200 : 401).end(ok ? JSON.stringify({ token: `t-${url.searchParams.getAll("scope").join("+")}` }) : "");
            return;
        }
        const wanted = mode === "basic" ? `Basic ${Buffer.from("ci:s3cret").toString("base64")}` : "Bearer t-repository:shop/app:pull";
        if (request.headers.authorization !== wanted) {
            const port = (app.address() as AddressInfo).port;
            response.writeHead(401, { "www-authenticate": mode === "basic" ? `Basic realm="r"` : `Bearer realm="http://127.0.0.1:${port}/token",service="reg"` }).end();
            return;
        }
        response.writeHead(200).end("manifest");
    });
    return new Promise(resolve => app.listen(0, "127.0.0.1", () => resolve({
        server: `127.0.0.1:${(app.address() as AddressInfo).port}`, seen, close: () => app.close(),
    })));
}

describe("RegistryClient auth", () => {
    test("GIVEN a token registry THEN it fetches a scoped token with Basic credentials, retries, and reuses the token", async () => {
        const registry = await fakeRegistry("bearer");
        try {
            const client = new RegistryClient({ server: registry.server, insecure: true, username: "ci", password: "s3cret" });
            const first = await client.request("GET", "/v2/shop/app/manifests/1", { scope: "repository:shop/app:pull" });
            const second = await client.request("GET", "/v2/shop/app/manifests/1", { scope: "repository:shop/app:pull" });
            expect([first.status, first.body.toString(), second.status]).toEqual([200, "manifest", 200]);
            expect(registry.seen).toEqual([
                "GET /v2/shop/app/manifests/1 -",
                `GET /token?service=reg&scope=repository%3Ashop%2Fapp%3Apull Basic ${Buffer.from("ci:s3cret").toString("base64")}`,
                "GET /v2/shop/app/manifests/1 Bearer t-repository:shop/app:pull",
                "GET /v2/shop/app/manifests/1 Bearer t-repository:shop/app:pull",
            ]);
        } finally {
            registry.close();
        }
    });

    test("GIVEN a Basic registry and no username THEN it says which settings to set, without any secret in the message", async () => {
        const registry = await fakeRegistry("basic");
        try {
            await expect(new RegistryClient({ server: registry.server, insecure: true }).request("GET", "/v2/", { scope: "x" }))
                .rejects.toThrow(`registry ${registry.server} asks for a username and password — set imageRebuild.registry.username and passwordSecret`);
        } finally {
            registry.close();
        }
    });

    test("an unexpected status names the method, path and registry text, never the credentials", async () => {
        const registry = await fakeRegistry("bearer");
        try {
            const client = new RegistryClient({ server: registry.server, insecure: true, username: "ci", password: "wrong" });
            const error = await client.expect("GET", "/v2/shop/app/manifests/1", [200], { scope: "repository:shop/app:pull" }).catch((e: Error) => e);
            expect(String(error)).toBe(`Error: registry ${registry.server}: token endpoint answered 401`);
            expect(String(error)).not.toContain("wrong");
        } finally {
            registry.close();
        }
    });
});
