import http from "node:http";
import { Client } from "@modelcontextprotocol/client";
import { streamableHttpTransport, sseTransport, httpStatusOf, describeHttpFailure } from "./dist/src/upstream/remote-transport.js";
const server = http.createServer((req, res) => { const s = Number(req.url.slice(1)); res.writeHead(s, {"content-type":"text/plain"}); res.end("nope " + s); });
await new Promise(r => server.listen(0, "127.0.0.1", r));
const port = server.address().port;
for (const kind of ["http", "sse"]) for (const s of [401, 403, 404, 405, 500]) {
  const url = new URL(`http://127.0.0.1:${port}/${s}`);
  const t = kind === "http" ? streamableHttpTransport(url, {}) : sseTransport(url, {});
  const c = new Client({ name: "p", version: "1" }, { capabilities: {} });
  try { await c.connect(t); console.log(kind, s, "connected?"); } catch (e) { console.log(kind, s, e.constructor.name, JSON.stringify(e.message), e.code, httpStatusOf(e), "=>", describeHttpFailure(url.href, e)); }
  await c.close().catch(()=>{});
}
const url = new URL(`http://127.0.0.1:1/x`);
for (const kind of ["http", "sse"]) {
const c = new Client({ name: "p", version: "1" }, { capabilities: {} });
try { await c.connect(kind === "http" ? streamableHttpTransport(url, {}) : sseTransport(url, {})); } catch (e) { console.log(kind, "refused", e.constructor.name, e.message, e.cause?.code, e.cause?.cause?.code, "=>", describeHttpFailure(url.href, e)); }
}
server.close();
