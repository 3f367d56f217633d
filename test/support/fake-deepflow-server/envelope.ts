import { ServerResponse } from "http";

/** OPT_STATUS → HTTP status, as server/controller/http/common/const.go maps them (the ones this server uses). */
const HTTP_STATUS: Readonly<Record<string, number>> = { SUCCESS: 200, INVALID_PARAMETERS: 400, FAIL: 500, SERVICE_UNAVAILABLE: 503 };

/**
 * gin's c.JSON: encoding/json output, fields in struct order (OPT_STATUS, DESCRIPTION, DATA), HTML
 * characters and U+2028/U+2029 escaped, no trailing newline.
 */
export function goJson(value: unknown): string {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function sendEnvelope(res: ServerResponse, optStatus: string, description: string, data: unknown): void {
    const body = goJson({ OPT_STATUS: optStatus, DESCRIPTION: description, DATA: data });
    res.writeHead(HTTP_STATUS[optStatus] ?? 500, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}

export const ok = (res: ServerResponse, data: unknown): void => sendEnvelope(res, "SUCCESS", "", data);
/** Service errors that are plain Go errors become FAIL with the error text (response.Format upstream). */
export const fail = (res: ServerResponse, description: string, data: unknown = null): void => sendEnvelope(res, "FAIL", description, data);

/** gin's default for an unknown route. */
export function notFound(res: ServerResponse): void {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("404 page not found");
}
