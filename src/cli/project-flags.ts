import { Flags } from '@oclif/core';

/** Flags of every command that reads aio.yaml. */
export const projectFlags = {
  project: Flags.string({ description: 'the project file (default: aio.yaml here or in a folder above)' }),
  env: Flags.string({ char: 'e', description: 'environment in aio.yaml (default: AIO_ENV, or the only one)' }),
  graph: Flags.string({ description: 'graph key in aio.yaml (default: the only one)' }),
};
