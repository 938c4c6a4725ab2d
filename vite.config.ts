import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { host: "127.0.0.1" },
  // y-monaco imports monaco's old entry path; point it at the same module our editor uses (one monaco).
  resolve: { alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: "monaco-editor/$1" }] },
  worker: { format: "es" },
  // Pre-bundling would break the `?url` imports that give tldraw its fonts and icons from our own server.
  optimizeDeps: { exclude: ["@tldraw/assets"] },
  plugins: [
    tailwindcss(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
});
