// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} templates in plain strings.
import { describe, expect, it } from "vitest";
import { redactValues, type Substitution } from "./redact.js";

const SECRETS: Substitution[] = [
  { name: "TOKEN", value: "sk-live-123" },
  { name: "CMD", value: "/opt/secret/bin/tool" },
  { name: "PORT", value: "80" },
  { name: "HOST", value: "secret.example.com" },
];

describe("redactValues", () => {
  it.each([
    ["no secret here", "no secret here"],
    ["", ""],
    ["command not found: /opt/secret/bin/tool", "command not found: ${CMD}"],
    [
      "cannot reach http://secret.example.com:80/mcp?key=sk-live-123: host not found",
      "cannot reach http://${HOST}:80/mcp?key=${TOKEN}: host not found",
    ],
    ["sk-live-123sk-live-123", "${TOKEN}${TOKEN}"],
    // Short values are left alone: "80" is everywhere and is no secret.
    ["port 80 and 8080", "port 80 and 8080"],
    // Regular-expression characters in values are taken literally.
    ["a.b*c? x", "a.b*c? x"],
  ])("%j becomes %j", (text, expected) => {
    expect(redactValues(text, SECRETS)).toBe(expected);
  });

  it("replaces a longer value whole before a shorter one it contains", () => {
    const subs = [
      { name: "SHORT", value: "abcd" },
      { name: "LONG", value: "xxabcdxx" },
    ];
    expect(redactValues("xxabcdxx and abcd", subs)).toBe("${LONG} and ${SHORT}");
  });

  it("takes values with regular-expression characters literally", () => {
    expect(redactValues("p(a+s)s? and pas", [{ name: "P", value: "p(a+s)s?" }])).toBe("${P} and pas");
  });

  it("names the first variable when two hold the same value", () => {
    const subs = [
      { name: "A", value: "same-value" },
      { name: "B", value: "same-value" },
    ];
    expect(redactValues("= same-value", subs)).toBe("= ${A}");
  });

  it("shows a stored secret as its ${secret:NAME} template", () => {
    const subs = [{ name: "secret:GH_TOKEN", value: "ghp_abcdef" }];
    expect(redactValues("401 for Bearer ghp_abcdef", subs)).toBe("401 for Bearer ${secret:GH_TOKEN}");
  });

  it("changes nothing without substitutions", () => {
    expect(redactValues("sk-live-123", [])).toBe("sk-live-123");
  });
});
