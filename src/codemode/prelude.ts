/**
 * The guest prelude: JavaScript that runs inside the sandbox before the script, as one
 * function expression. It receives the host functions, installs `console` and `search` on the
 * global object, and returns the guest half of the bridge: `install(catalogueJson)` (defines
 * `tools`; called once per run, just before the script) and the marshalling (`marshal`,
 * `describe`). The prelude runs when a sandbox is prepared, ahead of any run; `install` is
 * the only per-run step. Only strings cross the boundary: arguments and results
 * are JSON text, made and read here with the JSON functions captured before any script code
 * runs, so a script that replaces `JSON` or pollutes `Object.prototype` only hurts itself.
 *
 * Host functions it receives:
 * - call(server, tool, argsJson) -> Promise<string | undefined>   (JSON text of the result)
 * - log(level, text)
 * - search(requestJson) -> Promise<string>
 * - formatter() -> FORMATTER evaluated (a function); called once, on the first use of `console`
 *   or of `describe` on a value that is not an Error
 * install's catalogue: JSON text of { [server]: rawToolName[] }.
 * Globals besides `tools`: `console`, `search`, `resources.read/list`, `prompts.get`, `results.get`.
 */
export const PRELUDE = `(function (hostCall, hostLog, hostSearch, hostFormatter) {
  "use strict";
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const keys = Object.keys;
  const freeze = Object.freeze;
  const isArray = Array.isArray;
  const getPrototypeOf = Object.getPrototypeOf;
  const ErrorCtor = Error;

  // { inspect, format } from FORMATTER, made on first use and given the functions captured above.
  let formatting;
  function formatter() {
    if (formatting === undefined) formatting = hostFormatter()(stringify, keys, isArray, getPrototypeOf, ErrorCtor);
    return formatting;
  }

  const console = {};
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    console[level] = function () { hostLog(level, formatter().format(arguments)); };
  }
  globalThis.console = freeze(console);

  function listOf(names) {
    return names.length > 20 ? names.slice(0, 20).join(", ") + ", ..." : names.join(", ");
  }

  function install(catalogueJson) {
    const catalogue = parse(catalogueJson);
    const servers = {};
    for (const server of keys(catalogue)) {
      const fns = {};
      const rawNames = [];
      for (const raw of catalogue[server]) {
        rawNames.push(raw);
        const fn = async function (args) {
          let text;
          try {
            text = stringify(args === undefined ? {} : args);
          } catch (e) {
            throw new TypeError("arguments of " + server + "." + raw + " cannot be turned into JSON: " + e.message);
          }
          if (typeof text !== "string") {
            throw new TypeError("arguments of " + server + "." + raw + " cannot be turned into JSON: a " + typeof args);
          }
          const result = await hostCall(server, raw, text);
          return result === undefined ? undefined : parse(result);
        };
        fns[raw] = fn;
      }
      servers[server] = new Proxy(freeze(fns), {
        get(target, prop) {
          if (typeof prop !== "string" || prop in target || prop === "then" || prop === "toJSON") return target[prop];
          throw new TypeError('server "' + server + '" has no tool "' + prop + '"; its tools: ' + listOf(rawNames));
        },
      });
    }
    const serverNames = keys(servers);
    globalThis.tools = new Proxy(freeze(servers), {
      get(target, prop) {
        if (typeof prop !== "string" || prop in target || prop === "then" || prop === "toJSON") return target[prop];
        throw new TypeError('no server named "' + prop + '"; servers: ' + (serverNames.length ? listOf(serverNames) : "none"));
      },
    });
  }

  // resources and prompts travel as calls of reserved servers (host-bridge.ts HOST_SERVERS):
  // the same limits, cancellation and report line as tool calls.
  async function hostOperation(server, operation, args) {
    const result = await hostCall(server, operation, stringify(args));
    return result === undefined ? undefined : parse(result);
  }
  globalThis.resources = freeze({
    read: function (uri) { return hostOperation(":resources", "read", { uri: String(uri) }); },
    list: function () { return hostOperation(":resources", "list", {}); },
  });
  globalThis.prompts = freeze({
    get: function (server, name, args) {
      return hostOperation(":prompts", "get", { server: String(server), name: String(name), arguments: args === undefined ? {} : args });
    },
  });

  globalThis.results = freeze({
    get: function (handle) {
      const id = handle !== null && typeof handle === "object" ? handle.handle : handle;
      return hostOperation(":results", "get", { handle: String(id) });
    },
  });

  globalThis.search = async function (query, options) {
    const request = stringify({ query: query === undefined ? "" : String(query), options: options === undefined ? {} : options });
    return parse(await hostSearch(request));
  };

  return freeze({
    install: install,
    /** JSON text of the script's result, or undefined when it returned nothing. */
    marshal(value) {
      if (value === undefined) return undefined;
      return stringify(value);
    },
    /** A thrown value as "Name: message" plus the guest stack, for the host to report. */
    describe(error) {
      try {
        if (error instanceof ErrorCtor) {
          const stack = typeof error.stack === "string" ? error.stack : "";
          return stringify({ name: String(error.name || "Error"), message: String(error.message), stack: stack });
        }
        // QuickJS throws null when it runs out of memory, when making the formatter may fail too;
        // the host recognises this "null" (sandbox.ts).
        if (error === null) return stringify({ name: "Thrown", message: "null", stack: "" });
        return stringify({ name: "Thrown", message: formatter().inspect(error, 1, []), stack: "" });
      } catch (e) {
        return stringify({ name: "Thrown", message: "a value that cannot be described", stack: "" });
      }
    },
  });
})`;

/**
 * The console formatting (`inspect`, `format`), compiled inside the sandbox the first time a run
 * logs or throws a value that is not an Error: most runs do neither, and compiling it for every
 * sandbox was most of the prelude's cost. A function expression, evaluated in the sandbox's
 * context by the host function the prelude receives (never reachable by the script), and given
 * the JSON and Object functions the prelude captured before any script code ran. Globals it
 * names besides those (String, Map, Set, Date, RegExp, Promise, Object.is, isNaN) are read when
 * a value is formatted, as they always were.
 */
export const FORMATTER = String.raw`(function (stringify, keys, isArray, getPrototypeOf, ErrorCtor) {
  "use strict";
  const MAX_DEPTH = 3;
  const MAX_ITEMS = 50;
  const MAX_STRING = 2000;

  function quote(s) {
    return stringify(s.length > MAX_STRING ? s.slice(0, MAX_STRING) + "..." : s);
  }

  function constructorName(value) {
    try {
      const proto = getPrototypeOf(value);
      const ctor = proto && proto.constructor;
      return ctor && typeof ctor.name === "string" ? ctor.name : "";
    } catch (e) {
      return "";
    }
  }

  function inspect(value, depth, seen) {
    switch (typeof value) {
      case "string": return depth === 0 ? value : quote(value);
      case "number": return Object.is(value, -0) ? "-0" : String(value);
      case "bigint": return String(value) + "n";
      case "boolean": return String(value);
      case "undefined": return "undefined";
      case "symbol": return String(value);
      case "function": return "[Function: " + (value.name || "(anonymous)") + "]";
    }
    if (value === null) return "null";
    if (seen.indexOf(value) !== -1) return "[Circular]";
    if (value instanceof ErrorCtor) {
      const stack = typeof value.stack === "string" && value.stack ? "\n" + value.stack.replace(/\n$/, "") : "";
      return (value.name || "Error") + ": " + value.message + stack;
    }
    if (depth >= MAX_DEPTH) return isArray(value) ? "[Array]" : "[Object]";
    seen.push(value);
    try {
      if (isArray(value)) {
        const items = [];
        for (let i = 0; i < value.length && i < MAX_ITEMS; i++) items.push(inspect(value[i], depth + 1, seen));
        if (value.length > MAX_ITEMS) items.push("... " + (value.length - MAX_ITEMS) + " more items");
        return items.length === 0 ? "[]" : "[ " + items.join(", ") + " ]";
      }
      if (value instanceof Map) {
        const items = [];
        for (const [k, v] of value) {
          if (items.length >= MAX_ITEMS) { items.push("..."); break; }
          items.push(inspect(k, depth + 1, seen) + " => " + inspect(v, depth + 1, seen));
        }
        return "Map(" + value.size + ") " + (items.length === 0 ? "{}" : "{ " + items.join(", ") + " }");
      }
      if (value instanceof Set) {
        const items = [];
        for (const v of value) {
          if (items.length >= MAX_ITEMS) { items.push("..."); break; }
          items.push(inspect(v, depth + 1, seen));
        }
        return "Set(" + value.size + ") " + (items.length === 0 ? "{}" : "{ " + items.join(", ") + " }");
      }
      if (value instanceof Date) return isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (value instanceof RegExp) return String(value);
      if (value instanceof Promise) return "Promise { <pending> }";
      const name = constructorName(value);
      const prefix = name && name !== "Object" ? name + " " : "";
      const names = keys(value);
      const items = [];
      for (let i = 0; i < names.length && i < MAX_ITEMS; i++) {
        const k = names[i];
        let shown;
        try {
          shown = inspect(value[k], depth + 1, seen);
        } catch (e) {
          shown = "[Getter threw]";
        }
        const label = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k);
        items.push(label + ": " + shown);
      }
      if (names.length > MAX_ITEMS) items.push("... " + (names.length - MAX_ITEMS) + " more keys");
      return items.length === 0 ? prefix + "{}" : prefix + "{ " + items.join(", ") + " }";
    } finally {
      seen.pop();
    }
  }

  function format(args) {
    const parts = [];
    for (let i = 0; i < args.length; i++) {
      try {
        parts.push(inspect(args[i], 0, []));
      } catch (e) {
        parts.push("[uninspectable]");
      }
    }
    return parts.join(" ");
  }

  // Never frozen with the script's Object.freeze: the prelude keeps this object to itself.
  return { inspect: inspect, format: format };
})`;
