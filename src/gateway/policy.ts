import type { PolicyDecision, PolicyRule, PolicySettings } from "../registry/index.js";
import type { Tool } from "../upstream/index.js";

type ToolAnnotations = NonNullable<Tool["annotations"]>;

/** A decision and what made it: a rule (by its key), an annotation, or the default. */
export interface PolicyVerdict {
  readonly decision: PolicyDecision;
  readonly because: string;
}

/**
 * The one policy decision for a tool call, direct or from a script (pure; the registry is its
 * only input besides the tool, so nothing a model sends can change it). Order:
 * 1. the most specific matching rule (most literal characters in its key; on a tie the stricter
 *    decision, so overlapping rules never widen access);
 * 2. `readOnlyHint: true` → allow;
 * 3. `destructiveHint: true` → the `destructive` setting;
 * 4. no annotations at all → the `unannotated` setting;
 * 5. otherwise `default`.
 */
export function decideTool(
  policy: PolicySettings,
  server: string,
  tool: string,
  annotations: ToolAnnotations | undefined,
): PolicyVerdict {
  const rule = mostSpecificRule(policy.rules, server, tool);
  if (rule) return { decision: rule.decision, because: `rule "${rule.key}"` };
  if (annotations?.readOnlyHint === true) return { decision: "allow", because: "readOnlyHint" };
  if (annotations?.destructiveHint === true) {
    return { decision: policy.destructive, because: "destructiveHint" };
  }
  if (annotations === undefined || Object.keys(annotations).length === 0) {
    return { decision: policy.unannotated, because: "no annotations" };
  }
  return { decision: policy.default, because: "default" };
}

const STRICTNESS: Readonly<Record<PolicyDecision, number>> = { allow: 0, confirm: 1, deny: 2 };

function mostSpecificRule(
  rules: readonly PolicyRule[],
  server: string,
  tool: string,
): PolicyRule | undefined {
  let best: PolicyRule | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    if (!globMatches(rule.server, server) || !globMatches(rule.tool, tool)) continue;
    const score = rule.key.replaceAll("*", "").length;
    if (
      score > bestScore ||
      (score === bestScore && best && STRICTNESS[rule.decision] > STRICTNESS[best.decision])
    ) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

/** Whether `value` matches `pattern`, where `*` stands for any run of characters (none included). */
export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  if (!value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, at);
    if (found === -1 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}
