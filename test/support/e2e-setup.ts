// Starting the store (five processes in split mode) takes seconds on a busy two-core machine.
// Jest ignores testTimeout inside a project's config, so the e2e project sets it here.
jest.setTimeout(120_000);
