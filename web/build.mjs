// Copies the dashboard's third-party browser assets out of node_modules into the Python
// package (src/khabar/dashboard/static/vendor/, not committed), and turns Natural Earth's
// TopoJSON country shapes into the GeoJSON the map draws. Run by `make` after `npm ci`.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "src", "khabar", "dashboard", "static", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "images"), { recursive: true });

const copies = {
  "leaflet/dist/leaflet.js": "leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet.css",
  "leaflet/dist/images/marker-icon.png": "images/marker-icon.png",
  "leaflet/dist/images/marker-shadow.png": "images/marker-shadow.png",
  "leaflet/LICENSE": "LICENSE.leaflet",
  "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
  "leaflet.markercluster/dist/MarkerCluster.css": "MarkerCluster.css",
  "leaflet.markercluster/MIT-LICENCE.txt": "LICENSE.leaflet.markercluster",
  "world-atlas/LICENSE": "LICENSE.world-atlas",
};
for (const [from, to] of Object.entries(copies)) {
  copyFileSync(join(modules, from), join(out, to));
}

// 1:50m is detailed enough to tell Gaza from Israel at the zoom an analyst uses, and small
// enough (about 2 MB of GeoJSON, less gzipped) to load at once on a laptop.
const topology = JSON.parse(readFileSync(join(modules, "world-atlas/countries-50m.json"), "utf8"));
const countries = feature(topology, topology.objects.countries);
for (const shape of countries.features) {
  // ISO 3166-1 numeric, as a string ("004"); the page maps it to the alpha-3 codes khabar uses.
  shape.properties = { name: shape.properties.name, numeric: shape.id ?? null };
}
// Three decimals (about 100 m) are finer than the shapes themselves and halve the file.
const rounded = (key, value) => (typeof value === "number" ? Math.round(value * 1e3) / 1e3 : value);
writeFileSync(join(out, "countries.geojson"), JSON.stringify(countries, rounded));
writeFileSync(
  join(out, "VERSIONS.json"),
  JSON.stringify(
    Object.fromEntries(
      ["leaflet", "leaflet.markercluster", "world-atlas", "topojson-client"].map((name) => [
        name,
        JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version,
      ]),
    ),
    null,
    1,
  ),
);
console.log(`dashboard assets written to ${out}`);
