// The project's own libraries, imported as `@mfm/<name>[/path]` (tsconfig.json's paths): Jest and
// the configuration doc's writer map them to libs/<name>/src the same way.
module.exports = { LIBRARIES: 'contracts|platform|client|demo' };
