// Pyodide ships its Emscripten module factory without types; loadPyodide accepts it as `createPyodideModule`.
declare module "pyodide/pyodide.asm.mjs" {
  import type { PyodideConfig } from "pyodide";
  const createPyodideModule: NonNullable<PyodideConfig["createPyodideModule"]>;
  export default createPyodideModule;
}

// The Python harness is bundled as text (esbuild's text loader).
declare module "*.py" {
  const source: string;
  export default source;
}
