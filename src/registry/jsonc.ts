/**
 * JSON with comments (VS Code's mcp.json and settings.json) to plain JSON: `//` and `/* *\/`
 * comments outside strings and trailing commas before `}` or `]` are replaced by spaces. Line
 * breaks stay, and so does the length, so offsets and line:col in the result match the input.
 */
export function stripJsonComments(text: string): string {
  return removeTrailingCommas(blankComments(text));
}

function blank(chunk: string): string {
  return chunk.replace(/[^\r\n]/g, " ");
}

function blankComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && text.charAt(i + 1) === "/") {
      const newline = text.indexOf("\n", i);
      const end = newline === -1 ? text.length : newline;
      out += blank(text.slice(i, end));
      i = end;
    } else if (c === "/" && text.charAt(i + 1) === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close === -1 ? text.length : close + 2;
      out += blank(text.slice(i, end));
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function removeTrailingCommas(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text.charAt(j))) j++;
      const next = text.charAt(j);
      out += next === "}" || next === "]" ? " " : c;
    } else {
      out += c;
    }
    i++;
  }
  return out;
}

/** Index just past the string starting at `start` (an opening quote), or the end of the text. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return text.length;
}
