// chrono_bench.js — the baseline of bench/places.sh: chrono-node parsing the
// same strings as bench_places, one core, for about SECONDS.
// usage: node chrono_bench.js NODE_MODULES FILE [SECONDS] [PUBLISHED]
const path = require('path');
const fs = require('fs');
const chrono = require(path.resolve(process.argv[2], 'chrono-node'));
const lines = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter((l) => l.length);
const secs = parseFloat(process.argv[4] || '2');
const ref = new Date((process.argv[5] || '2022-03-07') + 'T12:00:00Z');
let ops = 0, resolved = 0;
const start = process.hrtime.bigint();
let el = 0;
do {
  for (const l of lines) {
    const r = chrono.parse(l, ref);
    if (ops < lines.length && r.length) resolved++;
    ops++;
  }
  el = Number(process.hrtime.bigint() - start) / 1e9;
} while (el < secs);
console.log(`chrono-node ${Math.round(ops / el)}/s (${lines.length} strings, ${resolved} resolved)`);
