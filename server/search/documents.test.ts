import { describe, expect, it } from "vitest";
import { promptText } from "./documents.ts";

describe("search documents", () => {
  it("index prompts as plain words, without Markdown punctuation", () => {
    const md = "# Power\n\nWrite `power(base, n)` using **recursion**:\n\n- base may be *negative*\n\n```python\n>>> power(2, 10)\n1024\n```\nSee [the docs](https://example.org).";
    expect(promptText(md)).toBe("Power Write power(base, n) using recursion: base may be negative >>> power(2, 10) 1024 See the docs.");
  });
});
