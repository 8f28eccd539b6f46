// How SWC compiles the project's TypeScript to CommonJS outside the build: decorators with their
// design-time metadata, as tsc emits them, so Nest's injection and class-validator work unchanged.
// Jest (jest.config.js) and the configuration doc's writer both load the sources with it.
module.exports = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
