/** Small helpers the benchmarks share: timing loops, percentiles, a markdown table, results on disk. */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

export interface Sample {
  readonly name: string;
  readonly samplesMs: readonly number[];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * Runs `fn` `warmup` times unmeasured, then `runs` times, and returns each run's milliseconds.
 * `gapMs` idles between runs (not measured), as a client thinking between calls would.
 */
export async function measure(
  runs: number,
  warmup: number,
  fn: () => Promise<unknown>,
  gapMs = 0,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

export function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

/** A markdown table: name, median, p90, and the ratio of each median to the first row's. */
export function table(title: string, rows: readonly Sample[], note = ""): string {
  const base = rows[0] ? median(rows[0].samplesMs) : Number.NaN;
  const lines = [
    `### ${title}`,
    "",
    "| measurement | runs | median ms | p90 ms | vs first row |",
    "|---|---:|---:|---:|---:|",
    ...rows.map((r) => {
      const m = median(r.samplesMs);
      return `| ${r.name} | ${r.samplesMs.length} | ${fmt(m)} | ${fmt(percentile(r.samplesMs, 90))} | ${(m / base).toFixed(2)}× |`;
    }),
  ];
  return `${lines.join("\n")}${note ? `\n\n${note}` : ""}\n`;
}

/** Writes raw samples and machine facts to bench/results/<name>-<time>.json (git-ignored). */
export async function saveResults(name: string, data: unknown): Promise<string> {
  const dir = fileURLToPath(new URL("../../bench/results/", import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = `${dir}${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  };
  await writeFile(
    file,
    `${JSON.stringify({ name, at: new Date().toISOString(), machine, data }, null, 2)}\n`,
  );
  return file;
}
