import { VoidError } from "../../core/index.js";
import { loadToken } from "../../gateway/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { printJson } from "../io.js";
import { registryPathFrom } from "../shared.js";

export const tokenCommand: Command = {
  name: "token",
  summary: "print the bearer token of the HTTP endpoint (serve --http)",
  usage: "token [--regenerate] [options]",
  details: `Prints the token HTTP clients must send as "Authorization: Bearer <token>". It lives in the
file "token" beside the registry (mode 0600), made on first use; VOIDMCP_TOKEN overrides it.
--regenerate replaces it (running gateways keep the old one until restarted).`,
  options: [
    { name: "regenerate", type: "boolean", description: "replace the token with a new random one" },
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.join(" ")}`);
    const regenerate = args.options.regenerate === true;
    const token = await loadToken(registryPathFrom(args, io), io.env, { regenerate });
    if (!token) throw new VoidError("internal", "no token could be made");
    if (args.options.json === true)
      printJson(io, { token: token.value, source: token.source, path: token.path });
    else io.out(token.value);
    if (token.source === "created")
      io.err(`${regenerate ? "New token" : "Created"} in ${token.path} (mode 0600).`);
    if (token.source === "env" || (regenerate && io.env.VOIDMCP_TOKEN))
      io.err("VOIDMCP_TOKEN is set: gateways started from this environment use it instead of the file.");
    return 0;
  },
};
