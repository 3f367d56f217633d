import * as http from "http";
import * as https from "https";

/** Where and as whom to call the deepflow-server controller API. */
export interface Connection {
    /** e.g. `http://deepflow-server.deepflow:20417`; a trailing slash is ignored. */
    readonly server: string;
    /** Sent as `X-Org-Id`; DeepFlow keeps one database per org. */
    readonly orgId: number;
    /** Per attempt. */
    readonly timeoutSeconds: number;
}

/** One controller API call; `path` includes the query string. */
export interface ApiCall {
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    readonly path: string;
    /** Raw YAML: the controller reads agent-group config bodies as text, not JSON. */
    readonly body?: string;
    /**
     * False for a call that must not land twice (v6's create answers "already exist" the second time):
     * it is retried only when the connection was refused, i.e. the server never saw it. @default true
     */
    readonly idempotent?: boolean;
}

/** DeepFlow's response envelope (server/controller/http/common/response). */
export interface Envelope {
    readonly OPT_STATUS: string;
    readonly DESCRIPTION: string;
    readonly DATA: unknown;
}

export const SUCCESS = "SUCCESS";
/** Attempts for transient failures: connection resets and 5xx answers that are not a DeepFlow verdict. */
export const MAX_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 200;
/** The only envelope status that means "try again later" (it maps to HTTP 503 upstream). */
const SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);
const BODY_EXCERPT = 200;

/**
 * Any failed controller call; the message names the server, the call and DeepFlow's own words. A plain
 * Error, not a subclass: Pulumi serializes the provider's classes into ES5 functions, and an ES5 Error
 * subclass loses its message.
 */
export function deepflowApiError(conn: Connection, call: ApiCall, what: string): Error {
    const error = new Error(`deepflow-server ${conn.server}: ${call.method} ${call.path} ${what}`);
    error.name = "DeepFlowApiError";
    return error;
}

type Attempt =
    | { readonly kind: "answer"; readonly status: number; readonly body: string }
    | { readonly kind: "transport"; readonly detail: string; readonly transient: boolean; readonly refused: boolean }
    | { readonly kind: "timeout" };

/** Sends a call and returns its SUCCESS envelope; anything else throws a DeepFlowApiError. */
export async function callApi(conn: Connection, call: ApiCall): Promise<Envelope> {
    return expectSuccess(conn, call, await sendApi(conn, call));
}

export function expectSuccess(conn: Connection, call: ApiCall, envelope: Envelope): Envelope {
    if (envelope.OPT_STATUS !== SUCCESS) {
        throw deepflowApiError(conn, call, `answered ${envelope.OPT_STATUS}: ${envelope.DESCRIPTION}`);
    }
    return envelope;
}

/**
 * Sends a call and returns DeepFlow's envelope whatever its OPT_STATUS, so callers can tell "no config
 * yet" from a failure. Retries only what a retry can fix; a FAIL envelope (HTTP 500 upstream) is
 * DeepFlow's verdict and is returned at once. Timeouts are not retried: a server that hung once
 * usually hangs again, and each attempt would cost the full timeout.
 */
export async function sendApi(conn: Connection, call: ApiCall): Promise<Envelope> {
    for (let attempt = 1; ; attempt++) {
        const result = await attemptOnce(conn, call);
        const last = attempt >= MAX_ATTEMPTS;
        const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;
        if (result.kind === "timeout") {
            throw deepflowApiError(conn, call, `got no answer within ${conn.timeoutSeconds}s`);
        }
        if (result.kind === "transport") {
            if (result.transient && !last && (call.idempotent !== false || result.refused)) { await backoff(attempt); continue; }
            throw deepflowApiError(conn, call, `failed${tries}: ${result.detail}`);
        }
        const envelope = parseEnvelope(result.body);
        const transient = result.status >= 500 && call.idempotent !== false && (envelope === undefined || envelope.OPT_STATUS === SERVICE_UNAVAILABLE);
        if (transient && !last) { await backoff(attempt); continue; }
        if (envelope === undefined) {
            throw deepflowApiError(conn, call, `answered HTTP ${result.status}${tries} without a DeepFlow envelope: ${excerpt(result.body)}`);
        }
        return envelope;
    }
}

function parseEnvelope(body: string): Envelope | undefined {
    try {
        const parsed: unknown = JSON.parse(body);
        if (typeof parsed !== "object" || parsed === null) return undefined;
        const { OPT_STATUS, DESCRIPTION, DATA } = parsed as Record<string, unknown>;
        if (typeof OPT_STATUS !== "string") return undefined;
        return { OPT_STATUS, DESCRIPTION: typeof DESCRIPTION === "string" ? DESCRIPTION : "", DATA };
    } catch {
        return undefined;
    }
}

function excerpt(body: string): string {
    const flat = body.replace(/\s+/g, " ").trim();
    if (flat === "") return "(empty body)";
    return flat.length > BODY_EXCERPT ? `${flat.slice(0, BODY_EXCERPT)}…` : flat;
}

function backoff(attempt: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
}

function attemptOnce(conn: Connection, call: ApiCall): Promise<Attempt> {
    const url = new URL(conn.server.replace(/\/+$/, "") + call.path);
    const transport = url.protocol === "https:" ? https : http;
    // deepflow-ctl sends the same identity headers (cli/ctl/common/http_util.go); X-User-Type 1 is the admin user.
    const headers: Record<string, string> = {
        "Accept": "application/json",
        "X-Org-Id": String(conn.orgId),
        "X-User-Id": "1",
        "X-User-Type": "1",
    };
    if (call.body !== undefined) {
        headers["Content-Type"] = "application/yaml";
        headers["Content-Length"] = String(Buffer.byteLength(call.body));
    }
    return new Promise(resolve => {
        // Declared before use: Pulumi's closure serializer cannot capture a const referenced ahead of its declaration.
        let timer: NodeJS.Timeout | undefined;
        let settled = false;
        const settle = (result: Attempt): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(result);
        };
        const req = transport.request(url, { method: call.method, headers }, res => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => settle({ kind: "answer", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", error => settle(transportFailure(error)));
        });
        timer = setTimeout(() => {
            settle({ kind: "timeout" });
            req.destroy();
        }, conn.timeoutSeconds * 1000);
        req.on("error", error => settle(transportFailure(error)));
        req.end(call.body);
    });
}

function transportFailure(error: Error & { code?: string }): Attempt {
    const transient = error.code !== undefined && TRANSIENT_CODES.has(error.code);
    return { kind: "transport", transient, refused: error.code === "ECONNREFUSED", detail: error.code ? `${error.code} ${error.message}` : error.message };
}
