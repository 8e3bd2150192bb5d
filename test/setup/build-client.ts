/** vitest globalSetup for the browser project: the built client, rebuilt only when its sources changed. */
export { buildClientIfStale as default } from '../../scripts/client/build.ts';
