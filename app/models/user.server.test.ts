import { describe, expect, it } from "vitest";
import { makeUser, PASSWORD } from "../../tests/fixtures.ts";
import { db } from "~/utils/db.server.ts";
import { LOGIN_FAILED, login, signup } from "./user.server.ts";

describe("sign up", () => {
  it("creates an account with a hashed password", async () => {
    const result = await signup({ name: "Ada", email: "ADA@Example.com", password: "long enough", role: "STUDENT" });
    expect(result.ok).toBe(true);
    const row = await db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("long enough");
  });

  it("says which field is wrong", async () => {
    const result = await signup({ name: "", email: "not-an-email", password: "short", role: "ADMIN" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["email", "name", "password", "role"]);
    expect(result.errors.password).toMatch(/at least 8/);
  });

  it("refuses a second account with the same email and writes nothing", async () => {
    await signup({ name: "One", email: "dup@example.com", password: PASSWORD, role: "TEACHER" });
    const again = await signup({ name: "Two", email: "dup@example.com", password: PASSWORD, role: "STUDENT" });
    expect(again).toEqual({ ok: false, errors: { email: expect.stringMatching(/already exists/) } });
    expect(await db.user.count({ where: { email: "dup@example.com" } })).toBe(1);
  });
});

describe("log in", () => {
  it("accepts the right password", async () => {
    const user = await makeUser("TEACHER");
    const result = await login({ email: user.email, password: PASSWORD }, "10.0.0.1");
    expect(result).toMatchObject({ ok: true, value: { id: user.id } });
  });

  it("gives the same message for a wrong password and an unknown email", async () => {
    const user = await makeUser("STUDENT");
    const wrong = await login({ email: user.email, password: "wrong password" }, "10.0.0.2");
    const unknown = await login({ email: "nobody@example.com", password: "wrong password" }, "10.0.0.3");
    expect(wrong).toEqual({ ok: false, errors: { form: LOGIN_FAILED }, status: 401 });
    expect(unknown).toEqual(wrong);
  });

  it("refuses the 6th failed attempt in a minute on one account, even with the right password", async () => {
    const user = await makeUser("STUDENT");
    for (let i = 0; i < 5; i++) {
      const r = await login({ email: user.email, password: "nope" }, `10.1.0.${i}`);
      expect(r.status).toBe(401);
    }
    const blocked = await login({ email: user.email, password: PASSWORD }, "10.1.0.99");
    expect(blocked.ok).toBe(false);
    expect(blocked.status).toBe(429);
    if (!blocked.ok) expect(blocked.errors.form).toMatch(/Too many failed attempts\. Try again in \d+ seconds?\./);
  });

  it("refuses the 6th failed attempt in a minute from one address, across accounts", async () => {
    for (let i = 0; i < 5; i++) await login({ email: `guess${i}@example.com`, password: "nope" }, "10.2.0.1");
    const user = await makeUser("TEACHER");
    const blocked = await login({ email: user.email, password: PASSWORD }, "10.2.0.1");
    expect(blocked.status).toBe(429);
    const elsewhere = await login({ email: user.email, password: PASSWORD }, "10.2.0.2");
    expect(elsewhere.ok).toBe(true);
  });
});
