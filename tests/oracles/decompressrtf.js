// Decompresses each PidTagRtfCompressed file named on the command line with
// @kenjiuno/decompressrtf, writing FILE.out next to it (the RTF tests' independent reader).
'use strict';
const fs = require('fs');
const path = require('path');
const { decompressRTF } = require(path.join(__dirname, 'node_modules/@kenjiuno/decompressrtf'));

for (const file of process.argv.slice(2)) {
  const out = decompressRTF(Array.from(fs.readFileSync(file)));
  fs.writeFileSync(file + '.out', Buffer.from(out));
}
