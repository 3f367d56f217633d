import { TraceSpan } from "./jaeger";
import { chainProblems } from "./trace-chain";

const span = (service: string, kind: number, spanId: string, parentSpanId = "", traceId = "t1"): TraceSpan =>
    ({ traceId, spanId, parentSpanId, kind, service, name: "GET /x" });
/** front → order → back, as the lab chain joined by the sw8 propagator looks in Jaeger. */
const joined: TraceSpan[] = [
    span("front", 2, "f0"), span("front", 3, "f1", "f0"),
    span("order", 2, "o0", "f1"), span("order", 3, "o1", "o0"),
    span("back", 2, "b0", "o1"),
];
const services = ["front", "order", "back"];

describe("chainProblems", () => {
    test("GIVEN a chain whose every hop links to its caller THEN there is no problem", () => {
        expect(chainProblems(joined, services)).toEqual([]);
    });

    test.each([
        { name: "a server span that starts its own trace", spans: joined.map((s) => (s.spanId === "o0" ? { ...s, parentSpanId: "", traceId: "t2" } : s)),
            problems: ["spans of 2 traces, expected 1: t1, t2", "order's server span order o0 (parent none) is not the child of front's client span f1"] },
        { name: "a server span under the wrong parent", spans: joined.map((s) => (s.spanId === "b0" ? { ...s, parentSpanId: "o0" } : s)),
            problems: ["back's server span back b0 (parent o0) is not the child of order's client span o1"] },
        { name: "a client span outside its server span", spans: joined.map((s) => (s.spanId === "f1" ? { ...s, parentSpanId: "zz" } : s)),
            problems: ["front's client span front f1 (parent zz) is not the child of its server span f0"] },
        { name: "a missing service", spans: joined.filter((s) => s.service !== "back"), problems: ["back: 0 server spans, expected 1"] },
        { name: "a root with a parent", spans: joined.map((s) => (s.spanId === "f0" ? { ...s, parentSpanId: "p" } : s)),
            problems: ["front's server span has parent p, expected none (the chain's root)"] },
        { name: "a stranger in the trace", spans: [...joined, span("other", 2, "x0", "o1")], problems: ["spans of other services: other"] },
    ])("GIVEN $name THEN it is named", ({ spans, problems }) => {
        expect(chainProblems(spans, services)).toEqual(problems);
    });
});
