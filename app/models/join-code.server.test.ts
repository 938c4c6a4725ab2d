import { describe, expect, it } from "vitest";
import { generateJoinCode, isWellFormedJoinCode, JOIN_CODE_ALPHABET, normalizeJoinCode } from "./join-code.server.ts";

describe("join codes", () => {
  it("are 6–8 characters from an alphabet without look-alikes", () => {
    for (let i = 0; i < 500; i++) {
      const code = generateJoinCode();
      expect(code.length).toBeGreaterThanOrEqual(6);
      expect(code.length).toBeLessThanOrEqual(8);
      expect(isWellFormedJoinCode(code)).toBe(true);
    }
    for (const ambiguous of "0O1IL5S2Z8B") expect(JOIN_CODE_ALPHABET).not.toContain(ambiguous);
  });

  it("accept what students type: lower case, spaces and dashes", () => {
    expect(normalizeJoinCode(" kdx-7rh p ")).toBe("KDX7RHP");
  });

  it("reject codes with ambiguous or foreign characters and wrong lengths", () => {
    expect(isWellFormedJoinCode("KDX0RHP")).toBe(false);
    expect(isWellFormedJoinCode("KDX")).toBe(false);
    expect(isWellFormedJoinCode("KDX7RHPKD")).toBe(false);
  });

  it("are spread out: 2,000 codes almost never repeat", () => {
    const codes = new Set(Array.from({ length: 2000 }, generateJoinCode));
    expect(codes.size).toBeGreaterThan(1990);
  });
});
