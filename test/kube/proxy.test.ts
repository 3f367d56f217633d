import { noProxyMatches, proxyFromEnvironment } from "../../kube/proxy";

describe("proxyFromEnvironment", () => {
    const proxy = "http://proxy.corp:3128";

    it("uses HTTPS_PROXY for https servers and HTTP_PROXY for http ones, upper case before lower case", () => {
        expect(proxyFromEnvironment("https://api.eks.example:443", { HTTPS_PROXY: proxy, https_proxy: "http://other:1" })).toBe(proxy);
        expect(proxyFromEnvironment("https://api.eks.example", { https_proxy: proxy })).toBe(proxy);
        expect(proxyFromEnvironment("https://api.eks.example", { HTTP_PROXY: proxy })).toBeUndefined();
        expect(proxyFromEnvironment("http://api.lab:8080", { HTTP_PROXY: proxy })).toBe(proxy);
        expect(proxyFromEnvironment("https://api.eks.example", {})).toBeUndefined();
    });

    it("reads a bare host:port proxy as http://", () => {
        expect(proxyFromEnvironment("https://api.example", { HTTPS_PROXY: "proxy.corp:3128" })).toBe("http://proxy.corp:3128");
    });

    it("never proxies localhost or loopback addresses", () => {
        for (const server of ["https://localhost:6443", "https://127.0.0.1:16443", "https://127.8.9.1", "https://[::1]:6443"]) {
            expect([server, proxyFromEnvironment(server, { HTTPS_PROXY: proxy })]).toEqual([server, undefined]);
        }
    });

    it("skips hosts that NO_PROXY lists, upper case before lower case", () => {
        const env = { HTTPS_PROXY: proxy, NO_PROXY: " .internal, 10.0.0.0/8,eks.amazonaws.com:443", no_proxy: "*" };
        expect(proxyFromEnvironment("https://a.b.internal:6443", env)).toBeUndefined();
        expect(proxyFromEnvironment("https://10.1.2.3:6443", env)).toBeUndefined();
        expect(proxyFromEnvironment("https://X.EKS.amazonaws.com", env)).toBeUndefined();
        expect(proxyFromEnvironment("https://x.eks.amazonaws.com:8443", env)).toBe(proxy);
        expect(proxyFromEnvironment("https://11.0.0.1", env)).toBe(proxy);
        expect(proxyFromEnvironment("https://anything", { HTTPS_PROXY: proxy, no_proxy: "*" })).toBeUndefined();
    });
});

describe("noProxyMatches (Go's rules)", () => {
    it.each([
        ["*", "any.host", "443", true],
        ["foo.com", "foo.com", "443", true],
        ["foo.com", "bar.foo.com", "443", true],
        ["foo.com", "barfoo.com", "443", false],
        [".y.com", "x.y.com", "443", true],
        [".y.com", "y.com", "443", false],
        ["1.2.3.4", "1.2.3.4", "443", true],
        ["1.2.3.4:80", "1.2.3.4", "443", false],
        ["1.2.3.4:443", "1.2.3.4", "443", true],
        ["10.0.0.0/8", "10.255.0.1", "443", true],
        ["10.0.0.0/8", "11.0.0.1", "443", false],
        ["10.0.0.0/8", "ten.example", "443", false],
        ["fd00::/8", "fd12::1", "443", true],
        ["::1", "::1", "443", true],
        ["[fd00::1]:443", "fd00::1", "443", true],
    ])("%s vs %s:%s → %s", (entry, host, port, expected) => {
        expect(noProxyMatches(entry, host, port)).toBe(expected);
    });
});
