// JSON as Python's json module reads and writes it, so the launcher compares values exactly like
// seed/check_catalog.py does: ints (bigint here) stay distinct from floats (number here) and keep every
// digit, NaN/Infinity/-Infinity are accepted, and text is printed the way json.dumps prints it.

export type PyJson = null | boolean | string | bigint | number | PyJson[] | PyDict;
export type PyDict = Map<string, PyJson>;

export type ParseResult = { ok: true; value: PyJson } | { ok: false; error: string };

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const CONSTANTS: [string, PyJson][] = [["null", null], ["true", true], ["false", false], ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]];
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class JsonSyntaxError extends Error {}

/** json.loads: the same accepted language (ASCII digits, NaN and Infinity, duplicate keys keep the last value). */
export function parsePythonJson(text: string): ParseResult {
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at char ${at}`);
  };
  const skipWhitespace = () => {
    while (at < text.length && WHITESPACE.has(text[at])) at++;
  };

  const parseString = (): string => {
    at++; // opening quote
    let out = "";
    for (;;) {
      if (at >= text.length) fail("Unterminated string");
      const ch = text[at];
      if (ch === '"') {
        at++;
        return out;
      }
      if (ch === "\\") {
        const escape = text[at + 1];
        if (escape === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else if (escape !== undefined && escape in ESCAPES) {
          out += ESCAPES[escape];
          at += 2;
        } else {
          fail("Invalid \\escape");
        }
        continue;
      }
      if (ch < " ") fail("Invalid control character");
      out += ch;
      at++;
    }
  };

  const parseValue = (): PyJson => {
    skipWhitespace();
    const ch = text[at];
    if (ch === undefined) return fail("Expecting value");
    if (ch === '"') return parseString();
    if (ch === "[") {
      at++;
      const items: PyJson[] = [];
      skipWhitespace();
      if (text[at] === "]") {
        at++;
        return items;
      }
      for (;;) {
        items.push(parseValue());
        skipWhitespace();
        if (text[at] === "]") {
          at++;
          return items;
        }
        if (text[at] !== ",") fail("Expecting ',' delimiter");
        at++;
      }
    }
    if (ch === "{") {
      at++;
      const dict: PyDict = new Map();
      skipWhitespace();
      if (text[at] === "}") {
        at++;
        return dict;
      }
      for (;;) {
        skipWhitespace();
        if (text[at] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = parseString();
        skipWhitespace();
        if (text[at] !== ":") fail("Expecting ':' delimiter");
        at++;
        dict.set(key, parseValue());
        skipWhitespace();
        if (text[at] === "}") {
          at++;
          return dict;
        }
        if (text[at] !== ",") fail("Expecting ',' delimiter");
        at++;
      }
    }
    for (const [word, value] of CONSTANTS) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail("Expecting value");
    at += match[0].length;
    return match[1] !== undefined || match[2] !== undefined ? Number(match[0]) : BigInt(match[0]);
  };

  try {
    const value = parseValue();
    skipWhitespace();
    if (at !== text.length) fail("Extra data");
    return { ok: true, value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

const isNumber = (v: PyJson): v is bigint | number => typeof v === "bigint" || typeof v === "number";

/** float(int) in Python: correctly rounded, and OverflowError (here undefined) when out of range. */
function intToFloat(value: bigint): number | undefined {
  const converted = Number(value);
  return Number.isFinite(converted) ? converted : undefined;
}

/** math.isclose(a, b, rel_tol=1e-9) */
function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(b - a);
  return diff <= Math.abs(1e-9 * b) || diff <= Math.abs(1e-9 * a);
}

/** check_catalog.py's json_equal: strict, bools distinct from numbers, floats with rel_tol 1e-9. */
export function pythonJsonEqual(actual: PyJson, expected: PyJson): boolean {
  if (typeof actual === "boolean" || typeof expected === "boolean") return actual === expected;
  if (isNumber(actual) && isNumber(expected)) {
    if (typeof actual === "bigint" && typeof expected === "bigint") return actual === expected;
    const a = typeof actual === "bigint" ? intToFloat(actual) : actual;
    const e = typeof expected === "bigint" ? intToFloat(expected) : expected;
    return a !== undefined && e !== undefined && isClose(a, e);
  }
  if (actual === null || expected === null) return actual === expected;
  if (typeof actual === "string" || typeof expected === "string") return actual === expected;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((item, i) => pythonJsonEqual(item, expected[i]));
  }
  if (actual instanceof Map && expected instanceof Map) {
    if (actual.size !== expected.size) return false;
    for (const [key, value] of actual) {
      if (!expected.has(key) || !pythonJsonEqual(value, expected.get(key) as PyJson)) return false;
    }
    return true;
  }
  return false;
}

/** repr(float): shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decimalPoint = Number(exponentText) + 1; // value = 0.<digits> × 10^decimalPoint
  if (decimalPoint <= -4 || decimalPoint > 16) {
    const exponent = decimalPoint - 1;
    const fraction = digits.length > 1 ? "." + digits.slice(1) : "";
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (decimalPoint <= 0) return `${sign}0.${"0".repeat(-decimalPoint)}${digits}`;
  if (decimalPoint >= digits.length) return `${sign}${digits}${"0".repeat(decimalPoint - digits.length)}.0`;
  return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
}

const STRING_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function dumpString(text: string): string {
  return '"' + text.replace(/[\x00-\x1f\\"]/g, (ch) => STRING_ESCAPES[ch] ?? "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0")) + '"';
}

/** json.dumps(value, ensure_ascii=False) */
export function dumpPythonJson(value: PyJson): string {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return pythonFloatRepr(value);
  }
  if (typeof value === "string") return dumpString(value);
  if (Array.isArray(value)) return "[" + value.map(dumpPythonJson).join(", ") + "]";
  return "{" + Array.from(value, ([key, item]) => `${dumpString(key)}: ${dumpPythonJson(item)}`).join(", ") + "}";
}
