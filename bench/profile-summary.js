'use strict';
/**
 * Where the CPU went, from a --cpu-prof profile (BENCH_PROFILE=1 BENCH_KEEP=1 npm run bench):
 * self time by package (or the store's own folder) and the top functions.
 * Usage: node bench/profile-summary.js <file.cpuprofile> [top] [fromSeconds] [toSeconds]
 * (fromSeconds/toSeconds: only the samples taken in that window after the process started, e.g.
 * one scenario's measuring round, as the bench log dates them).
 */
const fs = require('node:fs');

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const from = Number(fromArg ?? 0) * 1e6;
const to = toArg === undefined ? Infinity : Number(toArg) * 1e6;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const intervals = profile.timeDeltas;
let at = 0;
profile.samples.forEach((id, i) => {
  at += intervals[i] ?? 0;
  if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + (intervals[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url) {
  if (!url) return '(native / idle / gc)';
  // The store runs from a copy of dist/ under node_modules/.cache (see run.js).
  const store = /\/(?:dist|\.cache\/mfm-bench\/dist-\d+)\/((?:src|libs)\/.*)$/.exec(url);
  if (store) url = `/${store[1]}`;
  const nm = store ? -1 : url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const m = /\/(src|libs)\/([^/]+)(?:\/src)?\/([^/]+)/.exec(url);
  return m ? `store: ${m[1]}/${m[2]}${m[1] === 'libs' ? `/${m[3]}` : ''}` : url;
}

const byArea = new Map();
const byFunction = new Map();
for (const [id, micros] of self) {
  const { callFrame } = byId.get(id);
  const a = callFrame.functionName === '(idle)' ? '(idle)' : area(callFrame.url);
  byArea.set(a, (byArea.get(a) ?? 0) + micros);
  const fn = `${callFrame.functionName || '(anonymous)'} ${area(callFrame.url)}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
}
const pct = (micros) => `${((micros / total) * 100).toFixed(1)} %`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(micros).padStart(7)}  ${name}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print('Self time by area', byArea);
print('Self time by function', byFunction);
