// Makes the grader's memory snapshot and writes it where the launcher caches it. Started by the launcher
// in the same sandbox as the grader, but allowed to write the snapshot directory; it never runs student
// code, so every grader process can start from its output instead of spending ~2.5 s making its own.
import { renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { loadRuntime, makeSnapshot } from "./runtime.ts";

const Config = z.object({ pyodideDir: z.string(), workerFile: z.string(), memoryLimitBytes: z.number().int().positive(), output: z.string() });
const config = Config.parse(JSON.parse(process.argv[2] ?? "null"));

const runtime = await loadRuntime(config.pyodideDir);
const snapshot = await makeSnapshot(new URL(`file://${config.workerFile}`), { pyodideDir: config.pyodideDir, memoryLimitBytes: config.memoryLimitBytes, ...runtime });
// Written beside and renamed into place, so a grader never reads half a snapshot.
const partial = `${config.output}.${process.pid}.partial`;
writeFileSync(partial, new Uint8Array(snapshot));
renameSync(partial, config.output);
