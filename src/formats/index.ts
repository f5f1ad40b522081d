/**
 * The formats floor: reading, locating and editing JSON (with comments) and TOML text, and
 * writing files safely. Imports nothing internal but core; knows nothing of MCP or of voidmcp's
 * registry schema. Other folders import from here only.
 */

export { type ReplaceOptions, readIfExists, replaceFileAtomically } from "./atomic-write.js";
export { deepEqual } from "./deep-equal.js";
export { acquireFileLock, type FileLock, type FileLockOptions, withFileLock } from "./file-lock.js";
export { ioErrorCode, ioReason, isMissingFile } from "./io-error.js";
export { applyJsonChanges, JsonEditError, removeMember, setMember } from "./json-edit.js";
export { type DuplicateKey, findDuplicateKeys, locateJsonPath } from "./json-locate.js";
export { formatJsonPath, type JsonPath } from "./json-path.js";
export { type BlankOptions, stripJsonComments } from "./jsonc.js";
export { kindOf } from "./kind-of.js";
export { type LineColumn, lineColumnAt } from "./line-column.js";
export { type ParseJsonOptions, parseJsonText } from "./parse-json.js";
export {
  parseToml,
  type TomlDocument,
  type TomlPair,
  type TomlSection,
  TomlSyntaxError,
  type TomlTable,
  type TomlValue,
} from "./toml.js";
export {
  isSectionTable,
  removeTable,
  renderTable,
  setTable,
  TomlEditError,
  type TomlWritable,
  tomlKey,
  tomlString,
} from "./toml-edit.js";
