// Writes docs/config.md from the config schemas (npm run docs:config); test/config/reference.test.ts keeps them equal.
import * as fs from "fs";
import * as path from "path";
import { renderConfigReference, renderInventoryReference } from "../config/reference";

const target = path.join(__dirname, "..", "docs", "config.md");
fs.writeFileSync(target, `${renderConfigReference()}\n${renderInventoryReference()}`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
