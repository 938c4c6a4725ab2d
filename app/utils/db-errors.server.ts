import { Prisma } from "~/generated/prisma/client.ts";

/** A unique constraint refused the write: someone else got there first (double submit, concurrent request). */
export const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** A foreign key refused the write: a row it needed was removed, or a row still points at one being removed. */
export const isForeignKeyViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003";
