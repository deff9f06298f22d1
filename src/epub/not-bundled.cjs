// Stands in, in the bundle (scripts/bundle.mjs), for the packages epub-gen-memory loads for the
// steps galley replaces: its downloader (node-fetch, abort-controller) and its EJS templates. galley
// never fetches, and renders the package files from its own templates (src/epub/build-epub.ts).
function notBundled() {
  throw new Error('galley does not bundle this part of epub-gen-memory: it downloads nothing and renders its own templates');
}
module.exports = notBundled;
module.exports.default = notBundled;
module.exports.render = notBundled;
