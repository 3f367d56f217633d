import { parseImageRef, pinnedRef } from "../../../components/image-rebuild/image-ref";

const DIGEST = `sha256:${"b".repeat(64)}`;

describe("parseImageRef", () => {
    test.each([
        { name: "registry with port, tag", input: "127.0.0.1:5000/lab/app:1.0", expected: { registry: "127.0.0.1:5000", repository: "lab/app", tag: "1.0", digest: undefined } },
        { name: "Docker Hub short name", input: "busybox", expected: { registry: "docker.io", repository: "library/busybox", tag: undefined, digest: undefined } },
        { name: "tag and digest", input: `r.corp/a/b:2@${DIGEST}`, expected: { registry: "r.corp", repository: "a/b", tag: "2", digest: DIGEST } },
        { name: "localhost", input: "localhost/app", expected: { registry: "localhost", repository: "app", tag: undefined, digest: undefined } },
    ])("$name", ({ input, expected }) => {
        expect(parseImageRef(input)).toEqual(expected);
    });

    test.each([
        { name: "short digest", input: "r.corp/a@sha256:abc", error: `"r.corp/a@sha256:abc" has a malformed digest — expected @sha256:<64 hex digits>` },
        { name: "uppercase repository", input: "r.corp/App:1", error: `"r.corp/App:1" has an invalid repository "App" — use lowercase letters, digits, '.', '_', '-' and '/'` },
        { name: "space in tag", input: "r.corp/a:1 2", error: `"r.corp/a:1 2" has an invalid tag "1 2"` },
    ])("rejects $name", ({ input, error }) => {
        expect(parseImageRef(input)).toEqual({ error });
    });
});

describe("pinnedRef", () => {
    test("prefers the digest and drops the tag, which could move", () => {
        const ref = parseImageRef(`r.corp/a/b:2@${DIGEST}`);
        if ("error" in ref) throw new Error(ref.error);
        expect(pinnedRef(ref)).toBe(`r.corp/a/b@${DIGEST}`);
    });
});
