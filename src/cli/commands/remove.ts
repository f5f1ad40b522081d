import { VoidError } from "../../core/index.js";
import { editRegistryFile, removeServerEntry } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { printJson } from "../io.js";
import { registryPathFrom } from "../shared.js";

export const removeCommand: Command = {
  name: "remove",
  summary: "unregister a server",
  usage: "remove <name>",
  details: "Removes the server from the registry file; the rest of the file is kept as it is.",
  options: [CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    const [name, ...extra] = args.positionals;
    if (name === undefined)
      throw new VoidError("usage", "remove needs the name of a server", { hint: "voidmcp remove <name>" });
    if (extra.length > 0) throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`);
    const path = registryPathFrom(args, io);
    let removed: unknown;
    await editRegistryFile(path, (doc) => {
      removed = removeServerEntry(doc, name);
    });
    if (args.options.json === true) printJson(io, { removed: name, entry: removed, registry: path });
    else io.out(`Removed "${name}" from ${path}`);
    return 0;
  },
};
