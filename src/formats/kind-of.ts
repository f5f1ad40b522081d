/** The kind of a JSON value as a person would name it: "null", "array", "object", "string", ... */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
