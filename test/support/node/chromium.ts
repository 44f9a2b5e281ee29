// The rig's Chromium settings live in plain JS so that scripts and the bench share them.
export { baseChromiumArgs, chromiumPath, isolationHeaders, webgpuArg } from '../../../scripts/lib/chromium.mjs';
