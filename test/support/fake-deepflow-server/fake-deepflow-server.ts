import { randomUUID } from "crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { AddressInfo, Socket } from "net";
import { gunzipSync } from "zlib";
import { parseDocument, stringify } from "yaml";
import { fail, notFound, ok } from "./envelope";
import { V6_KEYS } from "./template";
import { validateAgainstTemplate } from "./validate";

/** An agent group as GET /v1/vtap-groups/ lists it (model.VtapGroup upstream, fields in its order). */
export interface FakeGroup {
    readonly ID: number;
    readonly NAME: string;
    readonly UPDATED_AT: string;
    readonly SHORT_UUID: string;
    readonly LCUUID: string;
    readonly TEAM_ID: number;
    readonly USER_ID: number;
    readonly VTAP_LCUUIDS: string[];
    readonly DISABLE_VTAP_LCUUIDS: string[];
    readonly PENDING_VTAP_LCUUIDS: string[];
    readonly LICENSE_FUNCTIONS: number[];
}

export interface RecordedRequest {
    readonly method: string;
    /** Path with query string. */
    readonly url: string;
    readonly headers: IncomingMessage["headers"];
    readonly body: string;
}

/** What the next requests get instead of normal service. */
export type Fault =
    | { readonly kind: "fail"; readonly description: string }
    | { readonly kind: "hang" }
    /** The next `times` requests have their connection dropped. */
    | { readonly kind: "reset"; times: number }
    /** The next `times` requests get a proxy's 502 page, not a DeepFlow envelope. */
    | { readonly kind: "bad-gateway"; times: number };

/**
 * A protocol peer of deepflow-server's controller API for tests — not DeepFlow. It answers the agent-group
 * calls skyshift and deepflow-ctl make, with the upstream envelope, status codes and error texts, and keeps
 * configs in memory per org (X-Org-Id). Org 1 starts with one group, `default`.
 */
export class FakeDeepFlowServer {
    readonly requests: RecordedRequest[] = [];
    /** Group configs by org, then group lcuuid: the v7 raw YAML. */
    readonly v7 = new Map<number, Map<string, string>>();
    /** v6 configs by org, then group lcuuid. */
    readonly v6 = new Map<number, Map<string, { lcuuid: string; yaml: string }>>();
    readonly groups = new Map<number, FakeGroup[]>();
    /**
     * Bodies posted to deepflow-agent's OTel ingest, `POST /api/v1/otel/trace` (OTLP/HTTP protobuf), in order, un-gzipped.
     * That is the agent's listener, not the server's; the fake plays both so one peer stands for DeepFlow.
     */
    readonly otelTraces: Buffer[] = [];
    fault: Fault | undefined;
    private readonly sockets = new Set<Socket>();

    private constructor(private readonly server: Server, readonly url: string) {}

    static async start(): Promise<FakeDeepFlowServer> {
        const server = createServer();
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
        const fake = new FakeDeepFlowServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        server.on("connection", socket => {
            fake.sockets.add(socket);
            socket.on("close", () => fake.sockets.delete(socket));
        });
        server.on("request", (req: IncomingMessage, res: ServerResponse) => fake.receive(req, res));
        fake.addGroup(1, "default");
        return fake;
    }

    /** Adds a group with fresh ids, as creating one in DeepFlow would. */
    addGroup(orgId: number, name: string): FakeGroup {
        const list = this.groups.get(orgId) ?? [];
        const group: FakeGroup = {
            ID: list.length + 1, NAME: name, UPDATED_AT: "2026-01-01 00:00:00",
            SHORT_UUID: `g-${randomUUID().replace(/-/g, "").slice(0, 10)}`, LCUUID: randomUUID(),
            TEAM_ID: 1, USER_ID: 1, VTAP_LCUUIDS: [], DISABLE_VTAP_LCUUIDS: [], PENDING_VTAP_LCUUIDS: [], LICENSE_FUNCTIONS: [],
        };
        this.groups.set(orgId, [...list, group]);
        return group;
    }

    group(orgId: number, name: string): FakeGroup {
        const found = this.groups.get(orgId)?.find(g => g.NAME === name);
        if (!found) throw new Error(`fake deepflow-server: no group ${name} in org ${orgId}`);
        return found;
    }

    v7Configs(orgId: number): Map<string, string> {
        if (!this.v7.has(orgId)) this.v7.set(orgId, new Map());
        return this.v7.get(orgId)!;
    }

    v6Configs(orgId: number): Map<string, { lcuuid: string; yaml: string }> {
        if (!this.v6.has(orgId)) this.v6.set(orgId, new Map());
        return this.v6.get(orgId)!;
    }

    async close(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>(resolve => this.server.close(() => resolve()));
    }

    private receive(req: IncomingMessage, res: ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const raw = Buffer.concat(chunks);
            const body = raw.toString("utf8");
            this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
            if (this.injectFault(req, res)) return;
            if (req.method === "POST" && req.url === "/api/v1/otel/trace") {
                // The collector's otlphttp exporter gzips by default; deepflow-agent accepts gzip.
                this.otelTraces.push(req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw);
                res.writeHead(200);
                res.end();
                return;
            }
            this.route(req.method ?? "", new URL(req.url ?? "/", this.url), orgOf(req), body, res);
        });
    }

    /** Returns true when a fault answered (or swallowed) the request. */
    private injectFault(req: IncomingMessage, res: ServerResponse): boolean {
        const fault = this.fault;
        if (!fault) return false;
        switch (fault.kind) {
            case "hang":
                return true;
            case "fail":
                fail(res, fault.description);
                return true;
            case "reset":
                if (fault.times-- <= 0) { this.fault = undefined; return false; }
                req.socket.destroy();
                return true;
            case "bad-gateway":
                if (fault.times-- <= 0) { this.fault = undefined; return false; }
                res.writeHead(502, { "Content-Type": "text/html" });
                res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
                return true;
        }
    }

    private route(method: string, url: URL, orgId: number, body: string, res: ServerResponse): void {
        const path = url.pathname;
        const groups = this.groups.get(orgId) ?? [];
        const byLcuuid = (lcuuid: string) => groups.find(g => g.LCUUID === lcuuid);
        const byShort = (short: string) => groups.find(g => g.SHORT_UUID === short);
        let m: RegExpExecArray | null;

        if (method === "GET" && path === "/v1/vtap-groups/") {
            const name = url.searchParams.get("name");
            const short = url.searchParams.get("short_uuid");
            return ok(res, groups.filter(g => (name === null || g.NAME === name) && (short === null || g.SHORT_UUID === short)));
        }

        if ((m = /^\/v1\/agent-group-configuration\/([^/]+)\/yaml$/.exec(path))) {
            const lcuuid = m[1];
            const configs = this.v7Configs(orgId);
            if (method === "GET") {
                const yaml = configs.get(lcuuid);
                return yaml === undefined ? fail(res, "record not found", "") : ok(res, yaml);
            }
            if (method === "POST" || method === "PUT") {
                if (!byLcuuid(lcuuid)) return fail(res, "record not found", "");
                const problem = validateAgainstTemplate(body);
                if (problem) return fail(res, `yaml validate failed: ${problem}, please check the yaml format`, "");
                const existed = configs.has(lcuuid);
                if (method === "PUT" && !existed) return fail(res, "record not found", "");
                configs.set(lcuuid, body);
                // Upstream's create path answers with the empty record it looked up, its update path with the stored YAML.
                return ok(res, method === "POST" && !existed ? "" : body);
            }
        }
        if (method === "DELETE" && (m = /^\/v1\/agent-group-configuration\/([^/]+)$/.exec(path))) {
            // Deleting zero rows is not an error upstream.
            this.v7Configs(orgId).delete(m[1]);
            return ok(res, null);
        }

        const v6 = this.v6Configs(orgId);
        if (path === "/v1/vtap-group-configuration/filter/" && (method === "GET" || method === "DELETE")) {
            const short = url.searchParams.get("vtap_group_id") ?? "";
            if (short === "") return fail(res, "short uuid is None", "");
            const group = byShort(short);
            if (!group) return fail(res, `vtap group(short_uuid=${short}) not found`, "");
            const config = v6.get(group.LCUUID);
            if (!config) return fail(res, `vtap group(short_uuid=${short}) configuration not found`, "");
            if (method === "DELETE") v6.delete(group.LCUUID);
            return ok(res, config.yaml);
        }
        if (method === "GET" && path === "/v1/vtap-group-configuration/") {
            const short = url.searchParams.get("vtap_group_id");
            const rows = groups.filter(g => short === null || g.SHORT_UUID === short).flatMap(g => {
                const config = v6.get(g.LCUUID);
                return config ? [{ VTAP_GROUP_ID: g.SHORT_UUID, VTAP_GROUP_NAME: g.NAME, LCUUID: config.lcuuid }] : [];
            });
            return ok(res, rows);
        }
        if (method === "POST" && path === "/v1/vtap-group-configuration/advanced/") {
            const fields = v6Fields(body);
            const short = fields.vtap_group_id;
            if (typeof short !== "string") return fail(res, "vtap_group_id is None", "");
            const group = byShort(short);
            if (!group) return fail(res, `vtap group(short_uuid=${short}) not found`, "");
            if (v6.has(group.LCUUID)) return fail(res, `vtap group(short_uuid=${short}) configuration already exist`, "");
            const yaml = renderV6(fields, short);
            v6.set(group.LCUUID, { lcuuid: randomUUID(), yaml });
            return ok(res, yaml);
        }
        if (method === "PATCH" && (m = /^\/v1\/vtap-group-configuration\/advanced\/([^/]+)\/$/.exec(path))) {
            const lcuuid = m[1];
            const entry = [...v6.entries()].find(([, c]) => c.lcuuid === lcuuid);
            if (!entry) return fail(res, `vtap group configuration(${lcuuid}) not found`, "");
            const short = groups.find(g => g.LCUUID === entry[0])!.SHORT_UUID;
            // Every struct field is copied, so keys missing from the body are cleared: a PATCH replaces the config.
            const yaml = renderV6(v6Fields(body), short);
            v6.set(entry[0], { lcuuid, yaml });
            return ok(res, yaml);
        }
        return notFound(res);
    }
}

function orgOf(req: IncomingMessage): number {
    const header = req.headers["x-org-id"];
    const value = Number(Array.isArray(header) ? header[0] : header);
    return Number.isInteger(value) && value > 0 ? value : 1;
}

/** The v6 struct binding: known keys kept, everything else (and all comments) dropped. */
function v6Fields(body: string): Record<string, unknown> {
    const parsed: unknown = parseDocument(body).toJS() ?? {};
    const fields: Record<string, unknown> = {};
    for (const key of V6_KEYS) {
        const value = (parsed as Record<string, unknown>)[key];
        if (value !== undefined && value !== null) fields[key] = value;
    }
    return fields;
}

/** yaml.Marshal of the struct: fields in struct order, vtap_group_id set to the group's short id. */
function renderV6(fields: Record<string, unknown>, shortUuid: string): string {
    const ordered: Record<string, unknown> = {};
    for (const key of V6_KEYS) {
        const value = key === "vtap_group_id" ? shortUuid : fields[key];
        if (value !== undefined) ordered[key] = value;
    }
    return stringify(ordered);
}
