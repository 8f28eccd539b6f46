// `nest build` keeps the source layout (dist/src, dist/libs); the documented entrypoint is
// dist/main.js, so it is written here as a one-line forwarder.
const { writeFileSync } = require('node:fs');
writeFileSync('dist/main.js', "'use strict';\nrequire('./src/main.js');\n");
