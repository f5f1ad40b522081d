// Module hook for node20-compat.mjs: rewrites only the alpha's bundled entry point.
const IMPORT = ",globSync as a,";
const STAND_IN = 'const a=()=>{throw new Error("fs.globSync needs Node 22 (conformance tier-check)")};\n';

export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (!url.includes("/conformance-next/dist/index.js")) return loaded;
  const source = String(loaded.source);
  if (typeof process.versions.node === "string" && Number(process.versions.node.split(".")[0]) >= 22) {
    return loaded;
  }
  if (!source.includes(IMPORT)) {
    throw new Error(
      "node20-compat: conformance-next no longer imports globSync as expected; update the hook",
    );
  }
  const body = source.replace(IMPORT, ",").replace(/^#!.*\n/, "");
  return { ...loaded, source: STAND_IN + body };
}
