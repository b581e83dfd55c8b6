import {componentWit} from "@bytecodealliance/jco-transpile/wasm-tools";
import fs from "node:fs";
const t0=Date.now();
const w = await componentWit(fs.readFileSync(process.argv[2]));
console.log(Date.now()-t0, 'ms');
console.log(w.split('\n').filter(l=>/^\s*(import|export)/.test(l)).join('\n'));
