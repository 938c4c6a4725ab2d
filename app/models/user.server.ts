import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { db } from "~/utils/db.server.ts";
import { fieldErrors } from "~/utils/form.server.ts";
import { clearAccountFailures, loginBlockedFor, recordLoginFailure } from "~/utils/login-throttle.server.ts";
import { isUniqueViolation } from "~/utils/db-errors.server.ts";
import { fail, ok, type Result } from "~/utils/result.ts";
import type { SessionUser } from "~/utils/session.server.ts";

const Email = z.string().trim().toLowerCase().min(1, "Enter your email").max(200).email("Enter a valid email address");

export const SignupInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80, "Keep your name under 80 characters"),
  email: Email,
  password: z.string().min(8, "Use at least 8 characters").max(200, "Use at most 200 characters"),
  role: z.enum(["TEACHER", "STUDENT"], { errorMap: () => ({ message: "Choose teacher or student" }) }),
});

export const LoginInput = z.object({
  email: Email,
  password: z.string().min(1, "Enter your password").max(200),
});

// argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes).
const HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
// Verified against when the email is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;

export const hashPassword = (password: string) => hash(password, HASH_OPTIONS);

export async function signup(raw: unknown): Promise<Result<SessionUser>> {
  const parsed = SignupInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { name, email, password, role } = parsed.data;
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    return fail("email", "An account with this email already exists. Log in instead.");
  }
  try {
    const user = await db.user.create({
      data: { name, email, role, passwordHash: await hashPassword(password) },
      select: { id: true, email: true, name: true, role: true },
    });
    return ok(user);
  } catch (error) {
    if (isUniqueViolation(error)) return fail("email", "An account with this email already exists. Log in instead.");
    throw error;
  }
}

export const LOGIN_FAILED = "Email or password is incorrect.";

export async function login(raw: unknown, clientIp: string): Promise<Result<SessionUser> & { status?: number }> {
  const parsed = LoginInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), status: 400 };
  const { email, password } = parsed.data;
  const waitSeconds = await loginBlockedFor(email, clientIp);
  if (waitSeconds > 0) {
    return { ...fail("form", `Too many failed attempts. Try again in ${waitSeconds} second${waitSeconds === 1 ? "" : "s"}.`), status: 429 };
  }
  const user = await db.user.findUnique({ where: { email } });
  const valid = user
    ? await verify(user.passwordHash, password)
    : (await verify(await (decoyHash ??= hashPassword("decoy-password")), password), false);
  if (!user || !valid) {
    await recordLoginFailure(email, clientIp);
    return { ...fail("form", LOGIN_FAILED), status: 401 };
  }
  await clearAccountFailures(email);
  return ok({ id: user.id, email: user.email, name: user.name, role: user.role });
}
