// Hostile submissions against the real sandbox. Each must be contained with the right verdict, and the
// ordinary submission graded right after it must come out normally. Where it helps, the submission reports
// what it could reach from the inside, and the test asserts it reached nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startGrader } from "./sandbox.server.ts";
import type { GradeResult, GradeTest, Grader, TestOutcome } from "./types.ts";

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pyodideDir = realpathSync(dirname(createRequire(import.meta.url).resolve("pyodide/package.json")));
const SECRET = `secret-${randomBytes(8).toString("hex")}`;

const call = (expression: string, expected: string, options: Partial<{ visible: boolean; timeLimitMs: number; id: string }> = {}): GradeTest => ({
  id: options.id ?? expression,
  kind: "CALL",
  expression,
  expected,
  visible: options.visible ?? true,
  points: 1,
  timeLimitMs: options.timeLimitMs ?? 2000,
});
const program = (stdin: string, expectedStdout: string, timeLimitMs = 2000): GradeTest => ({ id: "program", kind: "STDIO", stdin, expectedStdout, visible: true, points: 1, timeLimitMs });

let grader: Grader;
let secretDir: string;

beforeAll(async () => {
  // Secrets the launcher's process can read, which the sandbox must not.
  process.env.CHALKROOM_GRADER_TEST_SECRET = SECRET;
  secretDir = mkdtempSync(join(tmpdir(), "grader-secret-"));
  writeFileSync(join(secretDir, "secret.txt"), SECRET);
  grader = await startGrader();
}, 120_000);

afterAll(async () => {
  await grader?.close();
  rmSync(secretDir, { recursive: true, force: true });
  delete process.env.CHALKROOM_GRADER_TEST_SECRET;
});

async function gradeOne(code: string, test: GradeTest): Promise<TestOutcome> {
  const result = await grader.grade({ code, tests: [test] });
  expect(result.error).toBeUndefined();
  return result.results[0];
}

async function expectNextSubmissionGradedNormally(): Promise<void> {
  const result: GradeResult = await grader.grade({
    code: "import math\ndef area(r):\n    return round(math.pi * r * r, 2)\n",
    tests: [call("area(1)", "3.14"), call("area(2)", "12.57", { visible: false }), program("", "")],
  });
  expect(result).toMatchObject({ score: 3, maxScore: 3 });
  expect(result.error).toBeUndefined();
}

describe("hostile submissions are contained", () => {
  test("an infinite loop times out", async () => {
    const outcome = await gradeOne("def spin():\n    while True:\n        pass\n", call("spin()", "1", { timeLimitMs: 500 }));
    expect(outcome).toMatchObject({ verdict: "TIMEOUT", points: 0, message: "timed out after 500 ms" });
    expect(outcome.durationMs).toBeLessThan(1500);
    await expectNextSubmissionGradedNormally();
  });

  test("a loop that swallows the interrupt in except BaseException, or huge arithmetic, still times out", async () => {
    const swallowing = "def spin():\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n";
    expect(await gradeOne(swallowing, call("spin()", "1", { timeLimitMs: 400 }))).toMatchObject({ verdict: "TIMEOUT" });
    expect(await gradeOne("def huge():\n    return 7 ** (10 ** 9) % 10\n", call("huge()", "1", { timeLimitMs: 400 }))).toMatchObject({ verdict: "TIMEOUT" });
    await expectNextSubmissionGradedNormally();
  });

  test("infinite recursion after sys.setrecursionlimit(10**6) is stopped", async () => {
    const python = "import sys\nsys.setrecursionlimit(10**6)\ndef down(n):\n    return down(n + 1)\n";
    // Python frames live on the heap: the recursion runs until the time (or memory) limit stops it.
    expect(["TIMEOUT", "MEMORY"]).toContain((await gradeOne(python, call("down(0)", "1", { timeLimitMs: 1000 }))).verdict);
    // Recursion through C (lru_cache) overflows the WebAssembly stack and takes the interpreter down.
    const throughC = "import sys, functools\nsys.setrecursionlimit(10**6)\n@functools.lru_cache\ndef down(n):\n    return 1 + down(n + 1)\n";
    expect(await gradeOne(throughC, call("down(0)", "1"))).toMatchObject({ verdict: "ERROR", message: "the interpreter crashed: Maximum call stack size exceeded" });
    await expectNextSubmissionGradedNormally();
  });

  test("a memory bomb hits the memory limit, even when it catches MemoryError or fills JavaScript's heap", async () => {
    expect(await gradeOne("def bomb():\n    return len('x' * 10**9)\n", call("bomb()", "1"))).toMatchObject({ verdict: "MEMORY", message: "ran out of memory (the limit is 256 MiB)" });
    const hoarding = "def hoard():\n    kept = []\n    try:\n        while True:\n            kept.append(bytearray(10**6))\n    except MemoryError:\n        return len(kept)\n";
    expect(await gradeOne(hoarding, call("hoard()", "1", { timeLimitMs: 5000 }))).toMatchObject({ verdict: "MEMORY" });
    const inJavaScript = "import js\ndef hoard():\n    kept = js.Array.new()\n    while True:\n        kept.push('x' * 100000 + str(kept.length))\n";
    expect(await gradeOne(inJavaScript, call("hoard()", "1", { timeLimitMs: 10000 }))).toMatchObject({ verdict: "MEMORY" });
    await expectNextSubmissionGradedNormally();
  });

  test("an output flood inside try/except BaseException is cut off at the output limit", async () => {
    const flood = "while True:\n    try:\n        print('x' * 10000)\n    except BaseException:\n        pass\n";
    const outcome = await gradeOne(flood, program("", "", 5000));
    expect(outcome).toMatchObject({ verdict: "ERROR", message: "output limit exceeded: the program wrote more than 1 MiB to stdout and stderr" });
    expect(outcome.actual).toMatch(/^x{10000}\n/);
    expect(outcome.actual).toMatch(/… \[output truncated: more than 1 MiB written\]$/);
    expect(outcome.durationMs).toBeLessThan(5000);
    await expectNextSubmissionGradedNormally();
  });

  test("os.system and every other way to run a host command is refused", async () => {
    const marker = join(secretDir, "spawned");
    expect(await gradeOne("import os\ndef run():\n    return os.system('id')\n", call("run()", "0"))).toMatchObject({
      verdict: "ERROR",
      message: "raised PermissionError: os.system is not available in the grader (<solution> line 3: return os.system('id'))",
    });
    expect(await gradeOne("import subprocess\ndef run():\n    return subprocess.run(['id']).returncode\n", call("run()", "0"))).toMatchObject({ verdict: "ERROR" });
    // ctypes reaches Emscripten's system(), which asks Node for a child process: the permission model says no.
    const throughC = `import ctypes\ndef run():\n    return ctypes.CDLL(None).system(b"touch ${marker}")\n`;
    expect(await gradeOne(throughC, call("run()", "0"))).toMatchObject({ verdict: "ERROR", message: "the interpreter crashed: Access to this API has been restricted" });
    expect(existsSync(marker)).toBe(false);
    await expectNextSubmissionGradedNormally();
  });

  test("escaping to JavaScript reaches no environment, file, process or message channel of the host", async () => {
    const probe = `
import ctypes, json, os
import js, pyodide_js
from pyodide.ffi import to_js

report = {}
def attempt(name, action):
    try:
        report[name] = "GOT " + str(action())[:300]
    except BaseException as exc:
        report[name] = "DENIED " + type(exc).__name__

def through_nodefs(directory, name):
    point = "/mnt/%d" % len(report)
    pyodide_js.FS.mkdirTree(point)
    pyodide_js.FS.mount(pyodide_js.FS.filesystems.NODEFS, to_js({"root": directory}, dict_converter=js.Object.fromEntries), point)
    with open(point + "/" + name) as f:
        return f.read()

process = js.process
attempt("environment keys via js.process", lambda: list(js.Object.keys(process.env)))
attempt("environment via os.environ", lambda: dict(os.environ))
attempt("environment via ctypes getenv", lambda: ctypes.CDLL(None).getenv(b"CHALKROOM_GRADER_TEST_SECRET"))
attempt("code from a string (constructor.constructor)", lambda: js.Object.constructor("return process.env")())
attempt("node modules via process.getBuiltinModule", lambda: process.getBuiltinModule("fs"))
attempt("node modules via require", lambda: js.require("fs"))
attempt("native bindings via process.binding", lambda: process.binding("fs"))
attempt("/etc/passwd from Python", lambda: open("/etc/passwd").read())
attempt("/etc/passwd via NODEFS", lambda: through_nodefs("/etc", "passwd"))
attempt("the app's .env via NODEFS", lambda: through_nodefs(${JSON.stringify(appDir)}, ".env"))
attempt("the app's .env.example via NODEFS", lambda: through_nodefs(${JSON.stringify(appDir)}, ".env.example"))
attempt("a secret file via NODEFS", lambda: through_nodefs(${JSON.stringify(secretDir)}, "secret.txt"))
attempt("control: Pyodide's own files via NODEFS", lambda: through_nodefs(${JSON.stringify(pyodideDir)}, "package.json")[:20])
attempt("a child process via child_process", lambda: process.getBuiltinModule("child_process").execSync("id"))
attempt("a forged result via worker_threads", lambda: process.getBuiltinModule("worker_threads").parentPort.postMessage("forged"))
attempt("a forged line on the launcher's pipe", lambda: os.write(3, b'{"type":"ready"}\\n'))
attempt("killing the process", lambda: process.kill(process.pid))
print(json.dumps(report, indent=1))
`;
    const outcome = await gradeOne(probe, program("", ""));
    expect(outcome.verdict).toBe("FAILED");
    expect(outcome.actual).not.toContain(SECRET);
    const report: Record<string, string> = JSON.parse(outcome.actual ?? "{}");
    const reached = Object.entries(report).filter(([name, result]) => result.startsWith("GOT") && !name.startsWith("environment") && !name.startsWith("control"));
    expect(reached).toEqual([]);
    expect(report["environment keys via js.process"]).toBe("GOT []");
    expect(report["environment via os.environ"]).not.toContain("CHALKROOM");
    expect(report["environment via ctypes getenv"]).toBe("GOT 0");
    // NODEFS itself works (the control): the denials above come from the permission model.
    expect(report["control: Pyodide's own files via NODEFS"]).toMatch(/^GOT \{/);
    expect(readFileSync("/etc/passwd", "utf8")).not.toBe("");
    await expectNextSubmissionGradedNormally();
  });

  test("a forged result cannot pass a hidden test", async () => {
    const forging = `
import js
def forge():
    for route in (lambda: js.process.getBuiltinModule("worker_threads").parentPort, lambda: js.require("worker_threads").parentPort):
        try:
            route().postMessage(js.JSON.parse('{"type": "result", "outcome": {"kind": "value", "json": "42"}, "alive": true}'))
        except BaseException:
            pass
    return 0
`;
    const result = await grader.grade({ code: forging, tests: [call("forge()", "42", { visible: false })] });
    // No route reaches the parent port (the lockdown); were one found, the message would lack its test's nonce.
    expect(result).toMatchObject({ score: 0, results: [{ verdict: "FAILED", visible: false }] });
    expect(result.error).toBeUndefined();
    await expectNextSubmissionGradedNormally();
  });

  test("process.exit and process.kill from JavaScript end only the submission's test", async () => {
    expect(await gradeOne("import js\ndef leave():\n    js.process.exit(1)\n", call("leave()", "1"))).toMatchObject({ verdict: "ERROR", message: "the interpreter crashed: its worker exited (code 1)" });
    expect(await gradeOne("import js\ndef kill():\n    js.process.kill(js.process.pid, 'SIGKILL')\n", call("kill()", "1"))).toMatchObject({ verdict: "ERROR" });
    expect(grader.stats().crashes).toBe(0);
    await expectNextSubmissionGradedNormally();
  });

  describe("with a real listener on a loopback port", () => {
    let server: Server;
    let port = 0;
    let connections = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      port = (server.address() as { port: number }).port;
    });

    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    test("a socket connect from the sandbox fails", async () => {
      // Control: the listener accepts connections from outside the sandbox.
      await new Promise<void>((done, fail) => connect(port, "127.0.0.1", done).on("error", fail));
      await new Promise((done) => setTimeout(done, 100));
      expect(connections).toBe(1);

      const code = `
import builtins, socket, js
def dial():
    builtins.fetched = "pending"
    js.fetch("http://127.0.0.1:${port}/").then(lambda response: setattr(builtins, "fetched", "connected"), lambda error: setattr(builtins, "fetched", str(getattr(error.cause, "code", "failed"))))
    try:
        socket.create_connection(("127.0.0.1", ${port}), timeout=1).close()
        return "connected"
    except OSError as error:
        return "failed"
def fetched():
    return builtins.fetched
`;
      // A real TCP connect through Node's fetch: it settles while the interpreter waits between tests (40 polls
      // give a loaded machine's worker enough turns of its event loop), and
      // fails because the network namespace has no usable interface (ENETUNREACH), not because of the listener.
      const tests = [call("dial()", '"failed"', { id: "dial" }), ...Array.from({ length: 40 }, (_, i) => call("fetched()", '"ENETUNREACH"', { id: `fetched ${i}` }))];
      const result = await grader.grade({ code, tests });
      expect(result.results[0]).toMatchObject({ verdict: "PASSED", actual: '"failed"' });
      expect(result.results.map((r) => r.actual)).not.toContain('"connected"');
      expect(result.results.at(-1)).toMatchObject({ verdict: "PASSED", actual: '"ENETUNREACH"' });
      await new Promise((done) => setTimeout(done, 300));
      expect(connections).toBe(1);
      expect(grader.stats().isolation).toBe("namespaces");
      await expectNextSubmissionGradedNormally();
    });
  });

  test("sys.exit() and os._exit end the program as they would in CPython", async () => {
    expect(await gradeOne("import sys\nprint('bye')\nsys.exit()\n", program("", "bye\n"))).toMatchObject({ verdict: "PASSED" });
    expect(await gradeOne("import sys\nprint('bye')\nsys.exit(3)\n", program("", "bye\n"))).toMatchObject({ verdict: "ERROR", message: "program exited with code 3" });
    expect(await gradeOne("import sys\nsys.exit('no input')\n", program("", ""))).toMatchObject({ verdict: "ERROR", message: "program exited with code 1: no input" });
    expect(await gradeOne("import os\nprint('bye', flush=True)\nos._exit(0)\n", program("", "bye\n"))).toMatchObject({ verdict: "PASSED" });
    expect(await gradeOne("import sys\nsys.exit(0)\ndef f():\n    return 1\n", call("f()", "1"))).toMatchObject({ verdict: "ERROR", message: "solution raised while loading: SystemExit: 0 (<solution> line 2: sys.exit(0))" });
    expect(await gradeOne("import os\ndef f():\n    os._exit(0)\n", call("f()", "1"))).toMatchObject({ verdict: "ERROR", message: "no result (process exited with code 0)" });
    await expectNextSubmissionGradedNormally();
  });

  test("a submission that sleeps past its limit times out promptly", async () => {
    const started = performance.now();
    const outcome = await gradeOne("import time\ndef nap():\n    time.sleep(30)\n    return 1\n", call("nap()", "1", { timeLimitMs: 300 }));
    expect(outcome).toMatchObject({ verdict: "TIMEOUT", message: "timed out after 300 ms" });
    expect(performance.now() - started).toBeLessThan(5000);
    await expectNextSubmissionGradedNormally();
  });

  test("state planted by one submission is gone for the next", async () => {
    const planting = "import builtins, math, js\nbuiltins.abs = lambda x: 42\nmath.pi = 3\njs.globalThis.planted = 'yes'\ndef plant():\n    return [abs(-3), math.pi, js.globalThis.planted]\n";
    expect(await gradeOne(planting, call("plant()", '[42, 3, "yes"]'))).toMatchObject({ verdict: "PASSED" });
    const checking = "import math, js\ndef look():\n    return [abs(-3), math.pi, getattr(js.globalThis, 'planted', None)]\n";
    expect(await gradeOne(checking, call("look()", "[3, 3.141592653589793, null]"))).toMatchObject({ verdict: "PASSED" });
    // Interpreters restored from one snapshot still draw different random numbers, as separate processes would.
    const draws = await Promise.all([1, 2, 3].map(() => gradeOne("import random\ndef draw():\n    return random.random()\n", call("draw()", "0"))));
    expect(new Set(draws.map((outcome) => outcome.actual)).size).toBe(3);
    await expectNextSubmissionGradedNormally();
  });
});
