'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The app's built modules (dist/src/<file>), as the api runs them; throws when the build is missing. */
function requireBuilt(root, ...files) {
  return files.map((file) => {
    const full = path.join(root, 'dist/src', file);
    if (!fs.existsSync(full)) throw new Error(`dist/src/${file} is missing: build first`);
    return require(full);
  });
}

module.exports = { requireBuilt };
