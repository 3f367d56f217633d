/**
 * Retries of one app's Kubernetes API calls. At fleet size one update sends thousands of requests, and the API
 * server answers some of them with 429 (its max-in-flight limit, with `retryAfterSeconds`), 500/503 (an etcd
 * hiccup, a restarting apiserver) or drops a connection. Those are worth a few retries with backoff; anything
 * else (403, 404, 422 …) would fail the same way again and fails the app at once.
 *
 * The cluster client (`kube/client.ts`) rejects with `METHOD path on CONTEXT: STATUS body…` or a Node socket
 * error (`code`), so this module reads those.
 */

export interface RetryPolicy {
    /** Calls in all, the first included. */
    readonly attempts: number;
    /** Delay before the second call; it doubles for each further one. */
    readonly baseDelayMs: number;
    /** No delay (a server's Retry-After included) is longer than this. */
    readonly maxDelayMs: number;
}

/** 6 calls over about 15 s: outlasts an apiserver restart, still fails a dead cluster within a minute. */
export const KUBE_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Statuses the Kubernetes API documents as "try again" (api-concepts: 429 with Retry-After, 500/503/504 server-side). */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Socket errors of a connection that broke or never came up; the request may simply be sent again. */
const RETRY_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "ECONNABORTED"]);

/**
 * How long to wait before calling again, or `undefined` when the error is not transient. A server's
 * `retryAfterSeconds` (the Status body of a 429, mirrored from its Retry-After header) wins over the backoff.
 * @param attempt the number of calls made so far (1 after the first failure).
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    const status = /^[A-Z]+ \/\S*.*?: (\d{3})(?:\s|$)/.exec(message)?.[1];
    const transient = (status !== undefined && RETRY_STATUSES.has(Number(status)))
        || (typeof code === "string" && RETRY_CODES.has(code))
        || /: no answer in \d+s$/.test(message);
    if (!transient) return undefined;
    const retryAfter = /"retryAfterSeconds":\s*(\d+)/.exec(message)?.[1];
    const delay = retryAfter !== undefined ? Number(retryAfter) * 1000 : policy.baseDelayMs * 2 ** (attempt - 1);
    return Math.min(delay, policy.maxDelayMs);
}

/**
 * Calls `call` until it resolves, a non-transient error, or `policy.attempts` calls. The final error names
 * `what` (the app and the call) and, when it gave up on a transient error, how often it tried.
 */
export async function withRetries<T>(what: string, call: () => Promise<T>, policy: RetryPolicy,
    sleep: (ms: number) => Promise<void>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await call();
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const delay = retryDelay(error, attempt, policy);
            if (delay === undefined) throw new Error(`${what}: ${message}`);
            if (attempt >= policy.attempts) throw new Error(`${what}: ${message} (gave up after ${attempt} attempts)`);
            await sleep(delay);
        }
    }
}
