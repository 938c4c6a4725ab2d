// Where the browser finds Pyodide: our own server, under a path that names the exact installed version, so
// the files can be cached forever and a Pyodide upgrade is a new URL. The server and the runner worker both
// read the version from the installed package, so they cannot disagree.
import { version } from "pyodide/package.json";

export const PYODIDE_VERSION: string = version;
export const PYODIDE_URL_PATH = `/pyodide/${version}/`;

/** The files a browser needs to start Pyodide (no packages: students use the standard library). */
export const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"] as const;
