// Builds the pages' scripts from the pinned packages in package-lock.json:
//   graphiql/  GraphiQL with the explorer plugin, its styles, fonts and Monaco's web workers (esbuild);
//              what GraphiQL loads only when asked (prettier, the JSON language) in chunks/ of its own,
//              and the fonts as files, fetched by the browser only for the characters a page shows
//   vendor/    cytoscape, as its package ships it
// then precompresses every text file of the pages (these, the explorer's own, the page styles) as
// FILE.gz and FILE.br beside it, which the app serves to browsers that accept them, and writes
// manifest.json: the packages' versions, every built file's SHA-256, and for each precompressed file the
// SHA-256 of the text it was made from (the app serves a variant only while that still holds).
// Usage: node build.mjs [OUT_DIR]   (default: ../graphapi/web/static)
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
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
// One script, with what it imports lazily (prettier, Monaco's language modes) split into chunks; one
// stylesheet, with the fonts it names as files of their own.
await esbuild.build({
  ...common,
  entryPoints: { graphiql: "src/graphiql.jsx" },
  outdir: graphiqlDir,
  jsx: "automatic",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "fonts/[name]-[hash]",
  loader: { ".ttf": "file", ".woff": "file", ".woff2": "file" },
});
// GraphiQL's stylesheet carries its fonts inline (28 faces, a third of a megabyte that does not
// compress): each becomes a file of its own, named by its content, which a browser fetches only for
// the faces and character ranges a page uses.
const cssPath = join(graphiqlDir, "graphiql.css");
const fontsDir = join(graphiqlDir, "fonts");
mkdirSync(fontsDir, { recursive: true });
const FONT_TYPES = { "font/woff2": "woff2", "font/woff": "woff", "font/ttf": "ttf", "application/font-woff": "woff" };
writeFileSync(
  cssPath,
  readFileSync(cssPath, "utf8").replace(
    /url\(\s*["']?data:(font\/woff2|font\/woff|font\/ttf|application\/font-woff);base64,([A-Za-z0-9+/=]+)["']?\s*\)/g,
    (_, type, data) => {
      const bytes = Buffer.from(data, "base64");
      const name = `font-${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}.${FONT_TYPES[type]}`;
      writeFileSync(join(fontsDir, name), bytes);
      return `url(fonts/${name})`;
    },
  ),
);

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
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
for (const path of [...walk(graphiqlDir), ...walk(vendorDir)]) {
  files[relative(out, path)] = sha256(readFileSync(path));
}

// Precompressed text: the built files, and the explorer's hand-written ones (read from the source tree:
// they have no build step of their own, so `npm run build` refreshes theirs too), written under OUT_DIR.
const source = join(here, "..", "graphapi", "web", "static");
const COMPRESSED = new Set([".js", ".css", ".ttf", ".woff", ".svg", ".json", ".txt"]);
const encoded = {};
const precompress = (name, bytes) => {
  if (!COMPRESSED.has(extname(name))) return;
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  writeFileSync(
    join(out, `${name}.br`),
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  );
  encoded[name] = sha256(bytes);
};
for (const path of [...walk(graphiqlDir), ...walk(vendorDir)]) precompress(relative(out, path), readFileSync(path));
const handWritten = [...walk(join(source, "explorer")), join(source, "graphiql-page.css")];
for (const path of handWritten.filter((p) => !p.endsWith(".gz") && !p.endsWith(".br"))) {
  precompress(relative(source, path), readFileSync(path));
}
writeFileSync(join(out, "manifest.json"), JSON.stringify({ packages, files, encoded }, null, 2) + "\n");
console.log(`built ${Object.keys(files).length} files into ${out}, ${Object.keys(encoded).length} precompressed`);
