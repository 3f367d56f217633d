import { encodeAttributeValue } from "../../components/migration/otel-identity";

describe("encodeAttributeValue", () => {
    it("percent-encodes what would split OTEL_RESOURCE_ATTRIBUTES", () => {
        expect(encodeAttributeValue("pay,v=1 50%")).toBe("pay%2Cv%3D1%2050%25");
    });
});
