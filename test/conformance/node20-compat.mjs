// Lets @modelcontextprotocol/conformance 0.2.0-alpha (`conformance-next`) start on Node 20.
// The alpha imports `globSync` from "fs" (Node 22+), and an ESM import of a name a built-in
// module lacks fails before any code runs. Its one use is the SDK tier report (`tier-check`),
// which voidmcp's tests never run: the hook drops that import and leaves a stand-in that throws
// if it is ever called, so nothing is silently faked. Used as `node --import <this file>`.
import { register } from "node:module";

register("./node20-compat-hooks.mjs", import.meta.url);
