// Builds the pages' scripts from the pinned packages in package-lock.json:
//   graphiql/  GraphiQL with the explorer plugin, its styles, font and Monaco's web workers (esbuild)
//   vendor/    cytoscape, as its package ships it
// and writes manifest.json: the packages' versions and every file's SHA-256, which the tests check.
// Usage: node build.mjs [OUT_DIR]   (default: ../graphapi/web/static)
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, "..", "graphapi", "web", "static");
const graphiqlDir = join(out, "graphiql");
const vendorDir = join(out, "vendor");
rmSync(graphiqlDir, { recursive: true, force: true });
rmSync(vendorDir, { recursive: true, force: true });

const common = {
  absWorkingDir: here,
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  legalComments: "linked",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};
// One script (lazy imports such as prettier are inlined), one stylesheet, the editor's icon font.
await esbuild.build({
  ...common,
  entryPoints: { graphiql: "src/graphiql.jsx" },
  outdir: graphiqlDir,
  jsx: "automatic",
  loader: { ".ttf": "file" },
});
await esbuild.build({
  ...common,
  entryPoints: {
    "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
    "json.worker": "monaco-editor/esm/vs/language/json/json.worker.js",
    "graphql.worker": "monaco-graphql/esm/graphql.worker.js",
  },
  outdir: graphiqlDir,
});

mkdirSync(vendorDir, { recursive: true });
const cytoscape = join(here, "node_modules", "cytoscape");
copyFileSync(join(cytoscape, "dist", "cytoscape.esm.min.mjs"), join(vendorDir, "cytoscape.esm.min.js"));
copyFileSync(join(cytoscape, "LICENSE"), join(vendorDir, "cytoscape.LICENSE.txt"));

const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const packages = {};
for (const name of Object.keys(pkg.dependencies).sort()) {
  const installed = JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));
  packages[name] = installed.version;
}
packages.esbuild = esbuild.version;

const files = {};
const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
for (const path of [...walk(graphiqlDir), ...walk(vendorDir)]) {
  files[relative(out, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
}
writeFileSync(join(out, "manifest.json"), JSON.stringify({ packages, files }, null, 2) + "\n");
console.log(`built ${Object.keys(files).length} files into ${out}`);
