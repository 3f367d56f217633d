import { retryDelay, RetryPolicy, withRetries } from "../../components/migration/retry";

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:6443`), { code });

describe("retryDelay", () => {
    test.each([
        ["429 with the server's retryAfterSeconds", new Error('PATCH /apis/apps/v1/x: 429 {"kind":"Status","details":{"retryAfterSeconds":1}}'), 1, 1_000],
        ["429 without it: backoff", new Error("GET /api/v1/pods: 429 Too Many Requests"), 1, 100],
        ["500 on the third call: doubled twice", new Error("GET /api/v1/pods: 500 etcdserver: leader changed"), 3, 400],
        ["503", new Error("GET /x: 503 unavailable"), 2, 200],
        ["a connection reset", socketError("ECONNRESET"), 1, 100],
        ["a refused connection", socketError("ECONNREFUSED"), 1, 100],
        ["the client's own request timeout", new Error("GET /x on context lab (https://127.0.0.1:16443): no answer in 30s"), 1, 100],
        ["a 503 as the client words it, the context's server port in the way", new Error("GET /apis/apps/v1/x on context lab (https://127.0.0.1:16443): 503 unavailable"), 1, 100],
        ["a 404 as the client words it", new Error("GET /apis/apps/v1/x on context lab (https://127.0.0.1:16443): 404 not found"), 1, undefined],
        ["capped at maxDelayMs", new Error("GET /x: 429 {\"retryAfterSeconds\":60}"), 1, 1_000],
        ["403 is not transient", new Error("PATCH /x: 403 forbidden"), 1, undefined],
        ["404 is not transient", new Error("GET /x: 404 not found"), 1, undefined],
        ["422 is not transient", new Error("PATCH /x: 422 Invalid value"), 1, undefined],
        ["a kubeconfig error is not transient", new Error("kubeconfig has no context \"lab\""), 1, undefined],
    ])("%s", (_name, error, attempt, expected) => {
        expect(retryDelay(error, attempt, policy)).toBe(expected);
    });
});

describe("withRetries", () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => { sleeps.push(ms); };
    beforeEach(() => { sleeps.length = 0; });

    it("retries transient errors with backoff and returns the first success", async () => {
        const answers = [socketError("ECONNRESET"), new Error("GET /x: 503 unavailable"), "ok"];
        const call = jest.fn(async () => {
            const next = answers.shift();
            if (next instanceof Error) throw next;
            return next;
        });
        await expect(withRetries("shop/order: GET /x", call, policy, sleep)).resolves.toBe("ok");
        expect(call).toHaveBeenCalledTimes(3);
        expect(sleeps).toEqual([100, 200]);
    });

    it("fails at once on a persistent error, naming the app and the call", async () => {
        const call = jest.fn(async () => { throw new Error("PATCH /apis/apps/v1/namespaces/shop/deployments/order: 403 forbidden"); });
        await expect(withRetries("shop/order: Server-Side Apply", call, policy, sleep)).rejects.toThrow(
            "shop/order: Server-Side Apply: PATCH /apis/apps/v1/namespaces/shop/deployments/order: 403 forbidden");
        expect(call).toHaveBeenCalledTimes(1);
        expect(sleeps).toEqual([]);
    });

    it("gives up after policy.attempts calls and says so", async () => {
        const call = jest.fn(async () => { throw new Error("GET /x: 500 boom"); });
        await expect(withRetries("shop/order: GET /x", call, policy, sleep)).rejects.toThrow(
            "shop/order: GET /x: GET /x: 500 boom (gave up after 4 attempts)");
        expect(call).toHaveBeenCalledTimes(4);
        expect(sleeps).toEqual([100, 200, 400]);
    });
});
