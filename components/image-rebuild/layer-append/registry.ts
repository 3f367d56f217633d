import * as http from "node:http";
import * as https from "node:https";

/** How to reach one registry. The password stays in memory; it is never logged or put in an error message. */
export interface RegistryAccess {
    /** `host[:port]`. */
    readonly server: string;
    /** Plain HTTP (a lab registry on 127.0.0.1). */
    readonly insecure?: boolean;
    readonly username?: string;
    readonly password?: string;
}

export interface RegistryResponse {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: Buffer;
}

interface RequestOptions {
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: Buffer;
    /** The auth scope, `repository:<name>:pull` or `…:pull,push`, for token-based registries. */
    readonly scope: string;
}

/**
 * A minimal Docker Registry HTTP API v2 client: anonymous, Basic, or Bearer-token auth (the token flow Docker Hub,
 * Harbor and distribution's token auth use), with one token cached per scope.
 */
export class RegistryClient {
    private readonly tokens: Map<string, string>;

    /**
     * Fields are set here, not with initializers: the dynamic providers run this class from Pulumi's serialized
     * closure, which keeps the constructor's body but drops ES2022 class field initializers (tsconfig's target).
     */
    constructor(private readonly access: RegistryAccess) {
        this.tokens = new Map();
    }

    async request(method: string, path: string, options: RequestOptions): Promise<RegistryResponse> {
        const first = await this.send(method, path, options, this.tokens.get(options.scope));
        if (first.status !== 401) return first;
        const authorization = await this.authorize(String(first.headers["www-authenticate"] ?? ""), options.scope);
        return this.send(method, path, options, authorization);
    }

    /** Like request, but fails with the registry's own error text on an unexpected status. */
    async expect(method: string, path: string, statuses: readonly number[], options: RequestOptions): Promise<RegistryResponse> {
        const response = await this.request(method, path, options);
        if (!statuses.includes(response.status)) {
            throw new Error(`registry ${this.access.server}: ${method} ${path.split("?")[0]} answered ${response.status}: ${response.body.toString("utf8").slice(0, 300)}`);
        }
        return response;
    }

    private async authorize(challenge: string, scope: string): Promise<string> {
        const basic = this.access.username !== undefined
            ? `Basic ${Buffer.from(`${this.access.username}:${this.access.password ?? ""}`).toString("base64")}`
            : undefined;
        if (/^basic/i.test(challenge)) {
            if (!basic) throw new Error(`registry ${this.access.server} asks for a username and password — set imageRebuild.registry.username and passwordSecret`);
            this.tokens.set(scope, basic);
            return basic;
        }
        const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(match => [match[1], match[2]]));
        if (!/^bearer/i.test(challenge) || !params.realm) throw new Error(`registry ${this.access.server}: unsupported auth challenge "${challenge}"`);
        const url = new URL(params.realm);
        if (params.service) url.searchParams.set("service", params.service);
        for (const one of scope.split(" ")) url.searchParams.append("scope", one);
        const response = await rawRequest("GET", url, basic ? { authorization: basic } : {});
        if (response.status !== 200) throw new Error(`registry ${this.access.server}: token endpoint answered ${response.status}`);
        const body = JSON.parse(response.body.toString("utf8")) as { token?: string; access_token?: string };
        const token = `Bearer ${body.token ?? body.access_token ?? ""}`;
        this.tokens.set(scope, token);
        return token;
    }

    private send(method: string, path: string, options: RequestOptions, authorization: string | undefined): Promise<RegistryResponse> {
        const base = path.startsWith("http://") || path.startsWith("https://") ? path : `${this.access.insecure ? "http" : "https"}://${this.access.server}${path}`;
        return rawRequest(method, new URL(base), { ...options.headers, ...(authorization ? { authorization } : {}) }, options.body);
    }
}

function rawRequest(method: string, url: URL, headers: Readonly<Record<string, string>>, body?: Buffer): Promise<RegistryResponse> {
    const transport = url.protocol === "http:" ? http : https;
    return new Promise((resolve, reject) => {
        const request = transport.request(url, { method, headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) } }, response => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
            response.on("error", reject);
        });
        request.on("error", reject);
        request.end(body);
    });
}
