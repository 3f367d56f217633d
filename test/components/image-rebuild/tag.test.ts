import { canonicalJson, rebuildTag } from "../../../components/image-rebuild/tag";

describe("canonicalJson and rebuildTag", () => {
    test("sorts keys at every level and drops undefined members", () => {
        expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: "s", u: undefined })).toBe(`{"a":"s","b":[{"x":2,"y":1}]}`);
    });

    test("the tag is sha256 of the canonical JSON, 16 hex digits", () => {
        // sha256('{"a":1}') = 015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862
        expect(rebuildTag({ a: 1 })).toBe("otel-015abd7f5cc57a2d");
    });
});
