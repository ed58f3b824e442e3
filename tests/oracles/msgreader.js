// Prints what @kenjiuno/msgreader reads from .msg files, one JSON line per file, for the
// differential tests (tests/msg/test_msgreader.cpp): subject, recipients and attachments
// (name, size); {"error": ...} for a file it cannot read.
//   node tests/oracles/msgreader.js FILE...
'use strict';
const fs = require('fs');
const MsgReader = require('@kenjiuno/msgreader').default;

function facts(file) {
const reader = new MsgReader(fs.readFileSync(file));
const data = reader.getFileData();
if (data.error) return { error: String(data.error) };
return {
  subject: data.subject === undefined ? null : data.subject,
  recipients: (data.recipients || []).map((r) => ({ name: r.name || '', email: r.email || '' })),
  attachments: (data.attachments || []).map((a) => ({
    name: a.fileName || a.fileNameShort || a.name || '',
    embedded: !!a.innerMsgContent,
    size: a.innerMsgContent ? null : reader.getAttachment(a).content.length,
  })),
};
}

for (const file of process.argv.slice(2)) {
  let out;
  try {
    out = facts(file);
  } catch (e) {
    out = { error: String(e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
