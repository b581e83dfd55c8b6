/** Files shipped inside the aio package (WIT, templates, the SDK), found from the compiled code's own location. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is compiled to <root>/dist/src/package-files.js. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The wasm-graph:processor@1.1.0 WIT package. */
export const WIT_DIR = join(PACKAGE_ROOT, 'wit');

/** Workspace and operator templates for `aio init` and `aio operator new`. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** The compiled JavaScript/TypeScript operator SDK. */
export const SDK_DIR = join(PACKAGE_ROOT, 'dist', 'src', 'sdk');
