import type { ToolEntry } from "../upstream/index.js";

export interface SearchHit {
  readonly entry: ToolEntry;
  readonly score: number;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * Ranks tools for a free-text query (pure). Every query word must match somewhere (in the
 * exposed name, the server name, the upstream name or the description); name matches weigh
 * more than description matches, whole words more than prefixes. An empty query matches
 * nothing. Ties keep catalogue order.
 */
export function searchTools(entries: readonly ToolEntry[], query: string, limit: number): SearchHit[] {
  const terms = words(query);
  if (terms.length === 0) return [];
  const hits: SearchHit[] = [];
  entries.forEach((entry, index) => {
    const nameWords = words(`${entry.exposedName} ${entry.upstreamName} ${entry.tool.title ?? ""}`);
    const serverWords = words(entry.server);
    const descriptionWords = words(entry.tool.description ?? "");
    let score = 0;
    for (const term of terms) {
      const termScore = Math.max(
        weigh(nameWords, term, 10),
        weigh(serverWords, term, 6),
        weigh(descriptionWords, term, 3),
      );
      if (termScore === 0) return;
      score += termScore;
    }
    hits.push({ entry, score: score - index * 1e-9 });
  });
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

function weigh(haystack: readonly string[], term: string, weight: number): number {
  if (haystack.includes(term)) return weight;
  if (haystack.some((w) => w.startsWith(term))) return weight / 2;
  if (term.length >= 4 && haystack.some((w) => w.includes(term))) return weight / 4;
  return 0;
}
