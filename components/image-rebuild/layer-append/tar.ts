/** A minimal ustar writer and reader: enough for image layers (files, directories, whiteouts), with no dependency. */

export interface TarEntry {
    /** Relative path without a leading '/'; directories without a trailing '/'. */
    readonly path: string;
    readonly type: "file" | "dir";
    readonly mode: number;
    readonly content?: Buffer;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
    return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** ustar splits a long path at a '/' into a 155-byte prefix and a 100-byte name. */
function splitPath(path: string): { prefix: string; name: string } {
    if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
    for (let cut = path.indexOf("/"); cut >= 0; cut = path.indexOf("/", cut + 1)) {
        const prefix = path.slice(0, cut);
        const name = path.slice(cut + 1);
        if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
    }
    throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry, size: number): Buffer {
    const block = Buffer.alloc(BLOCK);
    const { prefix, name } = splitPath(entry.type === "dir" ? `${entry.path}/` : entry.path);
    block.write(name, 0, 100, "utf8");
    block.write(octal(entry.mode, 8), 100, "ascii");
    block.write(octal(0, 8), 108, "ascii"); // uid root
    block.write(octal(0, 8), 116, "ascii"); // gid root
    block.write(octal(size, 12), 124, "ascii");
    block.write(octal(0, 12), 136, "ascii"); // mtime 0: the same inputs give the same layer digest
    block.fill(" ", 148, 156); // checksum is computed with its own field as spaces
    block.write(entry.type === "dir" ? "5" : "0", 156, "ascii");
    block.write("ustar\0", 257, "ascii");
    block.write("00", 263, "ascii");
    block.write(prefix, 345, 155, "utf8");
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(octal(sum, 7) + " ", 148, "ascii");
    return block;
}

/** Writes entries in the given order, uid/gid 0 and mtime 0, ending with the two zero blocks. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
    const parts: Buffer[] = [];
    for (const entry of entries) {
        const content = entry.type === "file" ? entry.content ?? Buffer.alloc(0) : Buffer.alloc(0);
        parts.push(header(entry, content.length), content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
    }
    parts.push(Buffer.alloc(BLOCK * 2));
    return Buffer.concat(parts);
}

export interface ReadEntry {
    readonly path: string;
    /** ustar type flag: "0" file, "5" dir, "2" symlink, … */
    readonly type: string;
    readonly content: Buffer;
}

function field(block: Buffer, start: number, length: number): string {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString("utf8");
}

/** Reads a tar, honouring pax `path` records and GNU long names (buildah and Docker write both). */
export function readTar(tar: Buffer): ReadEntry[] {
    const entries: ReadEntry[] = [];
    let longName: string | undefined;
    for (let offset = 0; offset + BLOCK <= tar.length;) {
        const block = tar.subarray(offset, offset + BLOCK);
        if (block.every(byte => byte === 0)) break;
        const size = parseInt(field(block, 124, 12).trim() || "0", 8);
        const type = field(block, 156, 1) || "0";
        const content = tar.subarray(offset + BLOCK, offset + BLOCK + size);
        offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
        if (type === "x") {
            const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString("utf8"));
            if (path) longName = path[1];
            continue;
        }
        if (type === "L") {
            longName = content.toString("utf8").replace(/\0+$/, "");
            continue;
        }
        if (type === "g") continue;
        const prefix = field(block, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
        longName = undefined;
        entries.push({ path: name.replace(/^\.?\//, "").replace(/\/$/, ""), type, content: Buffer.from(content) });
    }
    return entries;
}
