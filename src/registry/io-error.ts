import { VoidError } from "../core/index.js";
import { ioErrorCode, ioReason } from "../formats/index.js";

/** A registry_io error for `verb`ing `path`, giving the OS reason and what to do. */
export function registryIoError(verb: "read" | "write", path: string, error: unknown): VoidError {
  const code = ioErrorCode(error);
  let hint: string;
  switch (code) {
    case "EACCES":
    case "EPERM":
      hint = `check the permissions of ${path} and its directory (ls -l)`;
      break;
    case "EISDIR":
    case "ENOTDIR":
      hint = "point --config or VOIDMCP_CONFIG at a file";
      break;
    default:
      hint =
        verb === "read"
          ? `check that ${path} is a readable file, or pass another one with --config`
          : `check that the directory of ${path} is writable`;
  }
  return new VoidError("registry_io", `cannot ${verb} registry ${path}: ${ioReason(error)}`, {
    hint,
    cause: error,
  });
}
