import {parse, componentEmbed, componentNew} from "@bytecodealliance/jco-transpile/wasm-tools";
import fs from "node:fs";
const core = await parse(fs.readFileSync(process.argv[2],"utf8"));
const emb = await componentEmbed({binary: core, witSource: fs.readFileSync('/tmp/w/jswit/all.wit','utf8'), world: process.argv[4] ?? "conformance"});
const comp = await componentNew(emb);
fs.writeFileSync(process.argv[3], comp);
console.log('ok', comp.length);
