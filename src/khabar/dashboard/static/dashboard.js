// khabar's events view: the filter form drives the map, the timeline and the table together,
// and the page's address (so a view can be bookmarked and shared). Every value from the store
// is put into the page as text (textContent, attributes), never parsed as HTML.
"use strict";

(() => {
  const TYPES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
  ];
  const TABLE_ROWS = 200;
  const VIEW_KEYS = ["by", "sort", "order"]; // in the address, but not filters of the events
  const DESCENDING_FIRST = new Set([
    "time_start", "killed_best", "injured_best", "confidence", "reports", "sites",
  ]);

  const form = document.getElementById("filters");
  const summary = document.getElementById("summary");
  const mapNote = document.getElementById("map-note");
  const timelineBox = document.getElementById("timeline");
  const tableBody = document.querySelector("#events tbody");
  const state = {
    by: form.elements.by.value || "month",
    sort: form.elements.sort.value || "time_start",
    order: form.elements.order.value || "desc",
  };

  // -- the filters and the address -------------------------------------------------------------
  function filterParams() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (value !== "" && !VIEW_KEYS.includes(key)) params.append(key, value);
    }
    return params;
  }

  function viewAddress() {
    const params = filterParams();
    params.set("by", state.by);
    params.set("sort", state.sort);
    params.set("order", state.order);
    return `/ui/?${params}`;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error ? body.error.message : response.statusText);
    }
    return body;
  }

  let generation = 0;
  async function refresh(remember) {
    form.elements.by.value = state.by;
    form.elements.sort.value = state.sort;
    form.elements.order.value = state.order;
    if (remember) history.pushState(null, "", viewAddress());
    const mine = ++generation; // a slow answer to an older filter must not overwrite a newer one
    const filters = filterParams().toString();
    const and = filters ? `${filters}&` : "";
    summary.textContent = "Loading events…";
    const tableQuery = `${and}sort=${state.sort}&order=${state.order}&limit=${TABLE_ROWS}`;
    try {
      const [points, timeline, table, byCountry] = await Promise.all([
        getJSON(`/ui/data/points?${filters}`),
        getJSON(`/ui/data/timeline?${and}by=${state.by}`),
        getJSON(`/ui/data/table?${tableQuery}`),
        getJSON(`/counts?${and}by=country`),
      ]);
      if (mine !== generation) return;
      drawMap(points, byCountry.counts);
      drawTimeline(timeline);
      drawTable(table);
      document.getElementById("csv").href = `/ui/data/table?${tableQuery}&format=csv`;
      document.getElementById("export").href = `/export?${and}format=csv`;
      const shown = table.events.length;
      const what = table.level === "fused" ? "real-world events" : "reports of events";
      summary.textContent =
        `${points.total} ${what} match; ${points.points.length} have a place on the map; ` +
        `the table shows ${shown === points.total ? "all of them" : `the first ${shown}`}.`;
    } catch (error) {
      if (mine === generation) summary.textContent = `Could not load the events: ${error.message}`;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh(true);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "level") {
      // The facets' counts and the table's columns differ by level: the server draws them.
      state.sort = "time_start";
      state.order = "desc";
      window.location.assign(viewAddress());
    } else if (event.target.type === "checkbox" || event.target.type === "date") {
      refresh(true);
    }
  });
  document.getElementById("t-by").addEventListener("change", (event) => {
    state.by = event.target.value;
    refresh(true);
  });
  document.getElementById("t-clear").addEventListener("click", () => {
    form.elements.start.value = "";
    form.elements.end.value = "";
    refresh(true);
  });
  // Back and forward: the server renders the form for that address again.
  window.addEventListener("popstate", () => window.location.reload());

  // -- the map -----------------------------------------------------------------------------------
  let map = null;
  let cluster = null;
  let countryLayer = null;
  let countryCodes = null;
  let countryCounts = {};

  function initMap() {
    if (!window.L || !L.markerClusterGroup) {
      mapNote.textContent = "The map's files are not installed; run make (see the README).";
      return;
    }
    map = L.map("map", { minZoom: 1, maxZoom: 14, worldCopyJump: true, zoomSnap: 0.5 });
    map.setView([20, 15], 2);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: Natural Earth (world-atlas)");
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      maxClusterRadius: 45,
      iconCreateFunction: clusterIcon,
    });
    map.addLayer(cluster);
    Promise.all([getJSON("/ui/static/vendor/countries.geojson"), getJSON("/ui/data/countries")])
      .then(([shapes, codes]) => {
        countryCodes = codes;
        countryLayer = L.geoJSON(shapes, {
          interactive: false,
          style: () => ({ className: "country", weight: 0.6 }),
        }).addTo(map);
        countryLayer.bringToBack();
        shadeCountries();
      })
      .catch((error) => {
        mapNote.textContent = `The country boundaries could not be loaded: ${error.message}`;
      });
  }

  function clusterIcon(group) {
    const count = group.getChildCount();
    const size = count < 10 ? 28 : count < 100 ? 34 : 42;
    // The html is a number the clustering counted, not data from the store: as a string it
    // is drawn inside the icon at once (an element is moved in later, and for a moment has
    // no background behind its white digits).
    return L.divIcon({ html: String(Number(count)), className: "cluster", iconSize: [size, size] });
  }

  function shadeCountries() {
    if (!countryLayer || !countryCodes) return;
    const most = Math.max(1, ...Object.values(countryCounts));
    countryLayer.eachLayer((layer) => {
      const element = layer.getElement();
      if (!element) return;
      const code = countryCodes[layer.feature.properties.numeric];
      const count = code ? countryCounts[code.iso3] || 0 : 0;
      const level = count ? Math.max(1, Math.ceil((5 * Math.log1p(count)) / Math.log1p(most))) : 0;
      for (let i = 1; i <= 5; i++) element.classList.toggle(`c${i}`, i === level);
    });
  }

  function popup(row) {
    const [id, , , type, status, day, place, country] = row;
    const box = document.createElement("div");
    box.className = "popup";
    const head = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = `${type}, ${status}`;
    head.append(strong);
    const where = document.createElement("p");
    where.textContent = `${day || "undated"} · ${place || "no place name"}${country ? ` (${country})` : ""}`;
    const link = document.createElement("a");
    link.href = `/ui/events/${encodeURIComponent(id)}`;
    link.textContent = "Open the event";
    const open = document.createElement("p");
    open.append(link);
    box.append(head, where, open);
    return box;
  }

  function drawMap(points, counts) {
    countryCounts = Object.fromEntries(counts.map((c) => [c.key, c.count]));
    if (!map) return;
    shadeCountries();
    cluster.clearLayers();
    const markers = points.points.map((row) => {
      const [, lat, lon, type, status, day, place] = row;
      const label = `${type}, ${status}, ${day || "undated"}, ${place || "no place name"}`;
      const marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: `pt t-${type}`, iconSize: [14, 14] }),
        title: label,
        alt: label,
        keyboard: true,
      });
      marker.bindPopup(() => popup(row));
      return marker;
    });
    cluster.addLayers(markers);
    // From the points, not the cluster layer: with chunked loading it fills in over time.
    if (markers.length) {
      const bounds = L.latLngBounds(points.points.map((row) => [row[1], row[2]]));
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 7 });
    }
    const off = points.total - points.points.length;
    mapNote.textContent =
      (points.truncated
        ? `The map shows the latest ${points.points.length.toLocaleString("en")} matching events with a place. `
        : "") +
      (off > 0 && !points.truncated ? `${off} matching events have no place and are not on the map.` : "");
  }

  // -- the timeline ------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";

  function svg(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (parent) parent.append(element);
    return element;
  }

  function utc(text) {
    const [y, m, d] = text.split("-").map(Number);
    return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
  }
  const iso = (day) => day.toISOString().slice(0, 10);

  function nextKey(by, key) {
    if (by === "year") return String(Number(key) + 1);
    if (by === "month") {
      const day = utc(`${key}-01`);
      day.setUTCMonth(day.getUTCMonth() + 1);
      return iso(day).slice(0, 7);
    }
    const day = utc(key);
    day.setUTCDate(day.getUTCDate() + (by === "week" ? 7 : 1));
    return iso(day);
  }

  // The first and last day a bucket covers.
  function bucketDays(by, key) {
    if (by === "year") return [`${key}-01-01`, `${key}-12-31`];
    if (by === "month") {
      const last = utc(`${key}-01`);
      last.setUTCMonth(last.getUTCMonth() + 1);
      last.setUTCDate(0);
      return [`${key}-01`, iso(last)];
    }
    if (by === "week") {
      const last = utc(key);
      last.setUTCDate(last.getUTCDate() + 6);
      return [key, iso(last)];
    }
    return [key, key];
  }

  function drawTimeline(data) {
    timelineBox.replaceChildren();
    const byKey = new Map();
    for (const { key, type, count } of data.buckets) {
      if (!byKey.has(key)) byKey.set(key, {});
      byKey.get(key)[type] = count;
    }
    if (!byKey.size) {
      const none = document.createElement("p");
      none.textContent = `No dated events match${data.undated ? ` (${data.undated} undated)` : ""}.`;
      timelineBox.append(none);
      return;
    }
    const present = [...byKey.keys()].sort();
    const keys = [present[0]];
    while (keys[keys.length - 1] < present[present.length - 1] && keys.length < 5000) {
      keys.push(nextKey(data.by, keys[keys.length - 1]));
    }
    // PLOVER's order first, then any other type the store holds, so every event is drawn.
    const seen = new Set(data.buckets.map((b) => b.type));
    const order = [...TYPES, ...[...seen].filter((t) => !TYPES.includes(t)).sort()];
    const totals = keys.map((k) => Object.values(byKey.get(k) || {}).reduce((a, b) => a + b, 0));
    const most = Math.max(...totals);
    const width = Math.max(300, timelineBox.clientWidth || 800);
    const height = 170;
    const left = 40;
    const bottom = 22;
    const top = 8;
    const plotWidth = width - left - 8;
    const plotHeight = height - top - bottom;
    const step = plotWidth / keys.length;
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label":
        `Events per ${data.by} from ${keys[0]} to ${keys[keys.length - 1]}, ` +
        `at most ${most} in one ${data.by}` +
        (data.undated ? `; ${data.undated} events are undated` : ""),
    });
    svg("line", { x1: left, x2: width - 8, y1: top + plotHeight, y2: top + plotHeight, class: "grid" }, chart);
    svg("text", { x: left - 6, y: top + 10, "text-anchor": "end", class: "axis" }, chart).textContent = String(most);
    svg("text", { x: left - 6, y: top + plotHeight, "text-anchor": "end", class: "axis" }, chart).textContent = "0";
    const every = Math.max(1, Math.ceil(keys.length / 8));
    keys.forEach((key, i) => {
      const x = left + i * step;
      let base = top + plotHeight;
      const counts = byKey.get(key) || {};
      for (const type of order) {
        const n = counts[type];
        if (!n) continue;
        const h = (n / most) * plotHeight;
        base -= h;
        const bar = svg("rect", {
          x: x + step * 0.1, y: base, width: Math.max(1, step * 0.8), height: h, class: `bar t-${type}`,
        }, chart);
        svg("title", {}, bar).textContent = `${key}: ${n} ${type}`;
      }
      if (i % every === 0) {
        svg("text", { x: x + step / 2, y: height - 6, "text-anchor": "middle", class: "axis" }, chart)
          .textContent = key;
      }
    });
    const brush = svg("rect", { x: 0, y: top, width: 0, height: plotHeight, class: "brush", visibility: "hidden" }, chart);
    const overlay = svg("rect", { x: left, y: top, width: plotWidth, height: plotHeight, fill: "transparent" }, chart);
    timelineBox.append(chart);

    // The brush: drag across the bars to choose the days they cover.
    const index = (event) => {
      const box = chart.getBoundingClientRect();
      const x = ((event.clientX - box.left) / box.width) * width;
      return Math.min(keys.length - 1, Math.max(0, Math.floor((x - left) / step)));
    };
    let from = null;
    overlay.addEventListener("pointerdown", (event) => {
      from = index(event);
      overlay.setPointerCapture(event.pointerId);
      brush.setAttribute("visibility", "visible");
      show(from, from);
    });
    overlay.addEventListener("pointermove", (event) => {
      if (from !== null) show(from, index(event));
    });
    overlay.addEventListener("pointerup", (event) => {
      if (from === null) return;
      const [a, b] = [from, index(event)].sort((p, q) => p - q);
      from = null;
      form.elements.start.value = bucketDays(data.by, keys[a])[0];
      form.elements.end.value = bucketDays(data.by, keys[b])[1];
      refresh(true);
    });
    function show(a, b) {
      const [lo, hi] = [a, b].sort((p, q) => p - q);
      brush.setAttribute("x", left + lo * step);
      brush.setAttribute("width", (hi - lo + 1) * step);
    }
  }

  // -- the table ---------------------------------------------------------------------------------
  function cell(row, content) {
    const td = document.createElement("td");
    if (content instanceof Node) td.append(content);
    else td.textContent = content === null || content === undefined ? "" : String(content);
    row.append(td);
    return td;
  }

  // Stored as "name|country|sector"; the table shows the names.
  const names = (people) => people.map((who) => who.split("|")[0]).join("; ");

  function drawTable(table) {
    const fused = table.level === "fused";
    tableBody.replaceChildren();
    for (const event of table.events) {
      const row = document.createElement("tr");
      const link = document.createElement("a");
      // A fused event is shown whole on the page of one of its reports.
      link.href = `/ui/events/${encodeURIComponent(fused ? event.link : event.id)}`;
      link.textContent = event.time_start || "undated";
      cell(row, link);
      const type = document.createElement("span");
      const swatch = document.createElement("span");
      swatch.className = `swatch t-${event.type}`;
      swatch.setAttribute("aria-hidden", "true");
      type.append(swatch, document.createTextNode(event.type));
      cell(row, type);
      cell(row, event.status);
      cell(row, event.place_name);
      cell(row, event.country);
      if (fused) {
        cell(row, event.actors.join("; "));
        cell(row, event.killed_best);
        cell(row, event.injured_best);
        cell(row, event.reports);
        cell(row, event.sites);
      } else {
        cell(row, names(event.actors));
        cell(row, names(event.targets));
        cell(row, event.killed_best);
        cell(row, event.injured_best);
        cell(row, event.confidence);
        cell(row, event.site);
      }
      row.title = event.sentence || "";
      tableBody.append(row);
    }
    for (const th of document.querySelectorAll("#events th[data-sort]")) {
      if (th.dataset.sort === state.sort) {
        th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    }
  }

  for (const button of document.querySelectorAll("#events th button[data-sort]")) {
    button.addEventListener("click", () => {
      const column = button.dataset.sort;
      if (state.sort === column) {
        state.order = state.order === "asc" ? "desc" : "asc";
      } else {
        state.sort = column;
        state.order = DESCENDING_FIRST.has(column) ? "desc" : "asc";
      }
      refresh(true);
    });
  }

  initMap();
  refresh(false);
})();
