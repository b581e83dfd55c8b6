import { componentize } from '@bytecodealliance/componentize-js';
import fs from 'node:fs';
const wit = fs.readdirSync('wit').filter(f=>f.endsWith('.wit')).map(f=>fs.readFileSync('wit/'+f,'utf8').replace(/^package .*;$/m,'')).join('\n');
const src = 'package wasm-graph:processor@1.1.0;\n' + wit + fs.readFileSync('test/fixtures/components/conformance.wit.part','utf8');
fs.mkdirSync('/tmp/w/jswit',{recursive:true}); fs.writeFileSync('/tmp/w/jswit/all.wit', src);
const t0=Date.now();
const out = await componentize({ sourcePath: process.argv[2], witPath: '/tmp/w/jswit', worldName: process.argv[5] ?? "conformance", disableFeatures: JSON.parse(process.argv[4] ?? "[]") });
console.log('built', Date.now()-t0, out.component.length);
fs.writeFileSync(process.argv[3], out.component);
