// The static server lives in plain JS so that `npm start` and the bench share it.
export { type StaticServer, serveStatic } from '../../../scripts/lib/serve-static.mjs';
