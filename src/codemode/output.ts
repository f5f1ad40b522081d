/**
 * The script's result as the caller gets it (pure): the JSON text whole, or cut to
 * `maxOutputBytes` of UTF-8 (never inside a character) with a marker that says how big it was.
 * Applied where the result is made (the worker), so an oversized result never crosses threads.
 */
export interface CappedOutput {
  readonly json: string;
  readonly truncated: boolean;
}

export function capOutput(json: string, maxOutputBytes: number): CappedOutput {
  // Most results are far below the cap even at 3 bytes per UTF-16 unit: skip the encoding.
  if (json.length * 3 <= maxOutputBytes) return { json, truncated: false };
  const buffer = Buffer.from(json);
  if (buffer.length <= maxOutputBytes) return { json, truncated: false };
  let end = maxOutputBytes;
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  const marker = `… [cut: the result is ${buffer.length} bytes as JSON; the limit is ${maxOutputBytes} (maxOutputBytes). Return a smaller projection.]`;
  return { json: `${buffer.subarray(0, end).toString()}${marker}`, truncated: true };
}
