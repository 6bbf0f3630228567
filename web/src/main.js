// orbitwatch web UI: the globe, conjunctions of screening runs, object pages and
// imaging windows over a region. Talks only to the orbitwatch HTTP API (same origin).
import { Globe, TYPE_COLORS } from "./globe.js";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : String(c ?? ""));
  return node;
};

async function api(path, options) {
  const r = await fetch(path, options);
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error(body.detail ? JSON.stringify(body.detail) : `HTTP ${r.status}`);
  return body;
}

const params = new URLSearchParams(location.search);
// the globe's clock starts at ?at= (UTC ISO-8601), or now, or, for a catalog more than
// three days old, at its newest element set (set in main() from /api/health)
let SIM_START_MS = params.get("at") ? Date.parse(params.get("at")) : Date.now();
const OLD_CATALOG_MS = 3 * 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

const fmt = (v) => {
  if (typeof v === "number") {
    if (v !== 0 && Math.abs(v) < 1e-20) return "< 1e-20";  // no meaning below that
    if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(3);
    return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/\.?0+$/, "");
  }
  if (typeof v === "boolean") return v ? "yes" : "";
  return v ?? "";
};

function status(text, isError = false) {
  const s = $("#status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

// ---------- globe
let globe;
let staleNote = "";  // the banner while the globe's element sets are stale
async function refreshPositions() {
  const at = globe.simTimeMs();
  const data = await api(`/api/positions?at=${encodeURIComponent(iso(at))}`);
  globe.setPositions(data, Date.parse(data.at_utc));
  $("#objcount").textContent = `${data.ids.length} objects`;
  const age = data.elements_age;
  staleNote = age && age.stale > 0
    ? `${age.stale} of ${age.objects} element sets are older than the limit for their ` +
      `orbit at ${age.at_utc} (oldest ${fmt(age.oldest_days)} days): their positions ` +
      "may be off by kilometres or more"
    : "";
  if (staleNote) status(staleNote, true);
}

async function showObjectOnGlobe(id) {
  const at = iso(globe.simTimeMs());
  const [detail, track] = await Promise.all([
    api(`/api/objects/${id}`),
    api(`/api/objects/${id}/track?at=${encodeURIComponent(at)}&minutes=100&step_s=30`),
  ]);
  globe.clearLines();
  globe.addLine(track.itrf_km, 0xffffff, 0);
  const o = detail.object;
  const last = detail.element_sets[0] || {};
  $("#pick").replaceChildren(
    el("h3", {}, `${o.OBJECT_NAME ?? ""} (${o.NORAD_CAT_ID})`),
    el("div", {}, `Type: ${o.OBJECT_TYPE ?? "unknown"} · Owner: ${o.OWNER ?? "unknown"}`),
    el("div", {}, `Perigee ${fmt(last.PERIGEE_ALT_KM)} km · apogee ${fmt(last.APOGEE_ALT_KM)} km ·` +
       ` inclination ${fmt(last.INCLINATION_DEG)}°`),
    el("div", {}, `Element sets stored: ${detail.element_set_count}; newest epoch ${last.EPOCH_UTC}`),
    el("a", { href: `#object/${o.NORAD_CAT_ID}`, id: "pick-open" }, "Object page →"),
  );
}

function globeView() {
  const toggles = Object.keys(TYPE_COLORS).map((type) => el("label", {},
    el("input", { type: "checkbox", checked: "", "data-type": type, onchange: (e) => {
      if (e.target.checked) globe.visibleTypes.add(type);
      else globe.visibleTypes.delete(type);
      globe.recolor();
    } }),
    el("span", { class: "swatch", style: `background:#${TYPE_COLORS[type].toString(16).padStart(6, "0")}` }),
    type.toLowerCase()));
  const panel = $("#globe-panel");
  panel.replaceChildren(
    el("h3", {}, "Layers"), ...toggles,
    el("label", {}, "Colour by ", el("select", { id: "colorby", onchange: (e) => {
      globe.colorBy = e.target.value;
      globe.recolor();
    } }, el("option", { value: "type" }, "type"), el("option", { value: "owner" }, "owner"))),
    el("div", { id: "clock" }), el("div", { id: "objcount" }), el("div", { id: "fps" }),
    el("div", { id: "pick" }, "Click an object for its details and orbit."),
    el("div", { id: "encounter" }),
  );
}

// ---------- conjunctions
const table = { run: null, sort: "tca", desc: false, offset: 0, limit: 50, band: "", object: "" };

async function conjunctionsView() {
  const view = $("#view");
  const runs = await api("/api/runs");
  const runSelect = el("select", { id: "run-select", onchange: (e) => {
    table.run = Number(e.target.value);
    table.offset = 0;
    loadEvents();
  } }, runs.map((r) => el("option", { value: r.RUN_ID },
    `Run ${r.RUN_ID}: ${r.WINDOW_START} → ${r.WINDOW_END}, ${r.VOLUME}, ${r.EVENTS} events`)));
  if (runs.length && table.run === null) table.run = runs[0].RUN_ID;
  if (table.run !== null) runSelect.value = table.run;
  const form = el("form", { id: "screen-form", onsubmit: startRun },
    el("label", {}, "Start (UTC) ", el("input", { name: "at", value: iso(SIM_START_MS), size: 22 })),
    el("label", {}, "Days ", el("input", { name: "days", value: "0.25", size: 4 })),
    el("label", {}, "Volume km ", el("input", { name: "volume", value: "5", size: 10 })),
    el("label", {}, "Primaries ", el("input", { name: "primaries", placeholder: "25544,…", size: 12 })),
    el("button", { type: "submit", id: "screen-start" }, "Screen"),
    el("span", { id: "job" }));
  const filters = el("div", { class: "filters" },
    el("label", {}, "Object ", el("input", { id: "filter-object", size: 8, value: table.object,
      onchange: (e) => { table.object = e.target.value.trim(); table.offset = 0; loadEvents(); } })),
    el("label", {}, "Pc band ", el("select", { id: "filter-band", onchange: (e) => {
      table.band = e.target.value; table.offset = 0; loadEvents();
    } }, ["", "red", "yellow", "green"].map((b) => el("option", { value: b }, b || "any")))),
    el("a", { id: "csv-link", href: "#" }, "Export CSV"),
    el("button", { id: "prev", onclick: () => { table.offset = Math.max(0, table.offset - table.limit); loadEvents(); } }, "◀"),
    el("span", { id: "page" }),
    el("button", { id: "next", onclick: () => { table.offset += table.limit; loadEvents(); } }, "▶"));
  view.replaceChildren(el("h2", {}, "Conjunctions"), form,
    el("div", {}, runs.length ? runSelect : "No screening run stored yet: start one above."),
    filters, el("table", { id: "events" }), el("div", { id: "event-detail" }));
  if (table.run !== null) await loadEvents();
}

const COLUMNS = [
  ["EVENT", "#", null], ["TCA", "TCA (UTC)", "tca"], ["NORAD_CAT_ID_1", "Object 1", null],
  ["OBJECT_NAME_1", "Name 1", null], ["NORAD_CAT_ID_2", "Object 2", null],
  ["OBJECT_NAME_2", "Name 2", null], ["TCA_RANGE", "Range (km)", "range"],
  ["TCA_RELATIVE_SPEED", "Speed (km/s)", "speed"], ["PC", "Pc (Foster, assumed cov.)", "pc"],
  ["PC_MAX", "Pc max (its cov. size)", null],
  ["MAX_PROB", "SOCRATES max (100:300:100 m)", "maxprob"], ["OWNER_1", "Owner 1", null],
  ["OWNER_2", "Owner 2", null],
];

function eventQuery(extra = {}) {
  const q = new URLSearchParams({ sort: table.sort, desc: table.desc, ...extra });
  if (table.band) q.set("band", table.band);
  if (table.object) q.set("object", table.object);
  return q;
}

async function loadEvents() {
  try {
    const q = eventQuery({ limit: table.limit, offset: table.offset });
    const page = await api(`/api/runs/${table.run}/events?${q}`);
    $("#csv-link").href = `/api/runs/${table.run}/events.csv?${eventQuery()}`;
    $("#page").textContent = ` ${page.total ? table.offset + 1 : 0}–${Math.min(table.offset + table.limit, page.total)} of ${page.total} `;
    const head = el("tr", {}, COLUMNS.map(([key, label, sort]) => el("th", {
      "data-sort": sort ?? "", class: sort === table.sort ? (table.desc ? "sorted desc" : "sorted") : "",
      onclick: sort ? () => {
        table.desc = table.sort === sort ? !table.desc : (sort === "pc" || sort === "maxprob");
        table.sort = sort;
        table.offset = 0;
        loadEvents();
      } : undefined,
    }, label)));
    const rows = page.items.map((r) => el("tr", { class: `band-${r.PC_BAND}`, "data-event": r.EVENT,
      onclick: () => openEvent(r.EVENT) }, COLUMNS.map(([key]) => el("td", {}, fmt(r[key])))));
    $("#events").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  } catch (err) {
    status(`Could not load events: ${err.message}`, true);
  }
}

async function startRun(event) {
  event.preventDefault();
  const f = new FormData(event.target);
  const body = { at: f.get("at"), days: Number(f.get("days")), volume: f.get("volume"),
                 primaries: f.get("primaries") || null };
  try {
    let job = await api("/api/runs", { method: "POST", headers: { "content-type": "application/json" },
                                        body: JSON.stringify(body) });
    while (job.state === "queued" || job.state === "running") {
      $("#job").textContent = ` screening… ${Math.round(job.progress * 100)} %`;
      await new Promise((r) => setTimeout(r, 500));
      job = await api(`/api/jobs/${job.job_id}`);
    }
    if (job.state === "failed") throw new Error(job.error);
    $("#job").textContent = ` run ${job.run_id} done`;
    table.run = job.run_id;
    table.offset = 0;
    await conjunctionsView();
  } catch (err) {
    $("#job").textContent = "";
    status(`Screening failed: ${err.message}`, true);
  }
}

async function openEvent(k) {
  const ev = await api(`/api/runs/${table.run}/events/${k}`);
  const e = ev.event;
  const [r, t, n] = ev.miss_rtn_m;
  const detail = el("div", { class: `event band-${e.PC_BAND}` },
    el("h3", {}, `Event ${k}: ${e.OBJECT_NAME_1} (${e.NORAD_CAT_ID_1}) × ${e.OBJECT_NAME_2} (${e.NORAD_CAT_ID_2})`),
    el("div", {}, `TCA ${e.TCA} · miss ${fmt(e.TCA_RANGE * 1000)} m (R ${fmt(r)}, T ${fmt(t)}, N ${fmt(n)} m) · ` +
       `relative speed ${fmt(e.TCA_RELATIVE_SPEED)} km/s`),
    el("div", {}, `Pc ${fmt(e.PC)} (${e.PC_METHOD}, ${e.COVARIANCE}; band ${e.PC_BAND}) · ` +
       `Pc at most ${fmt(e.PC_MAX)} over the covariance's size · SOCRATES's MAX_PROB ` +
       `(fixed 100:300:100 m shape) ${fmt(e.MAX_PROB)} · HBR ${fmt(e.HBR_M)} m ` +
       `(${e.HBR_SOURCE})`),
    el("a", { href: `/api/runs/${table.run}/events/${k}/cdm`, target: "_blank" }, "CDM (KVN)"), " ",
    el("a", { href: `/api/runs/${table.run}/events/${k}/cdm?format=xml`, target: "_blank" }, "CDM (XML)"), " ",
    el("a", { href: "#globe", id: "show-on-globe" }, "Show both orbits on the globe"));
  $("#event-detail").replaceChildren(detail);
  globe.clearLines();
  const mid = Math.floor(ev.track_offsets_s.length / 2);
  globe.addLine(ev.track_1_itrf_km, 0x60a5fa, mid);
  globe.addLine(ev.track_2_itrf_km, 0xf472b6, mid);
  globe.lookAt(ev.track_1_itrf_km[mid]);
  $("#encounter").replaceChildren(el("h3", {}, `Encounter, event ${k}`),
    el("div", {}, `${e.NORAD_CAT_ID_1} (blue) and ${e.NORAD_CAT_ID_2} (pink), ±45 min around TCA ${e.TCA}`),
    el("div", {}, `Miss ${fmt(e.TCA_RANGE * 1000)} m, RTN (${fmt(r)}, ${fmt(t)}, ${fmt(n)}) m; Pc ${fmt(e.PC)}`));
}

// ---------- object page
async function objectView(id) {
  const view = $("#view");
  const search = el("form", { id: "object-search", onsubmit: async (e) => {
    e.preventDefault();
    const q = new FormData(e.target).get("q");
    const found = await api(`/api/objects?q=${encodeURIComponent(q)}&limit=20`);
    $("#object-results").replaceChildren(...found.items.map((o) => el("div", {},
      el("a", { href: `#object/${o.NORAD_CAT_ID}` }, `${o.NORAD_CAT_ID} ${o.OBJECT_NAME ?? ""}`),
      ` ${o.OBJECT_TYPE ?? ""} ${o.OWNER ?? ""}`)));
  } }, el("input", { name: "q", placeholder: "name, catalog number or COSPAR id", size: 30 }),
    el("button", {}, "Search"));
  view.replaceChildren(el("h2", {}, "Objects"), search, el("div", { id: "object-results" }),
    el("div", { id: "object-page" }));
  if (!id) return;
  try {
    const [detail, events] = await Promise.all([api(`/api/objects/${id}`),
                                                api(`/api/objects/${id}/events`)]);
    const o = detail.object;
    const passForm = el("form", { id: "pass-form", onsubmit: async (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      const q = new URLSearchParams({ ids: id, lat: f.get("lat"), lon: f.get("lon"),
                                      min_el: f.get("min_el"), at: iso(globe.simTimeMs()), days: 2 });
      try {
        const rows = await api(`/api/passes?${q}`);
        $("#passes").replaceChildren(simpleTable(rows, ["RISE_UTC", "MAX_UTC", "MAX_EL_DEG",
          "SET_UTC", "DURATION_S", "VISIBLE"]));
      } catch (err) { status(`Passes: ${err.message}`, true); }
    } }, "Passes over lat ", el("input", { name: "lat", value: "48.85", size: 6 }),
      " lon ", el("input", { name: "lon", value: "2.35", size: 6 }),
      " min. elevation ", el("input", { name: "min_el", value: "10", size: 3 }), " ",
      el("button", {}, "Find passes"));
    $("#object-page").replaceChildren(
      el("h3", {}, `${o.OBJECT_NAME ?? ""} (${o.NORAD_CAT_ID})`),
      el("div", {}, `Type ${o.OBJECT_TYPE ?? "unknown"} · owner ${o.OWNER ?? "unknown"} · ` +
         `COSPAR ${o.OBJECT_ID ?? ""} · launched ${o.LAUNCH_DATE ?? "?"}`),
      el("h4", {}, `Element sets (${detail.element_set_count})`),
      simpleTable(detail.element_sets.slice(0, 10), ["EPOCH_UTC", "PERIGEE_ALT_KM", "APOGEE_ALT_KM",
        "INCLINATION_DEG", "ECCENTRICITY", "BSTAR_PER_EARTH_RADIUS"]),
      el("h4", {}, `Conjunctions in stored runs (${events.length})`),
      simpleTable(events, ["CONJUNCTION", "RUN_ID", "OTHER_NORAD_CAT_ID", "OTHER_NAME", "TCA",
        "TCA_RANGE", "PC", "PC_BAND", "PC_CHANGE"]),
      el("h4", {}, "Passes"), passForm, el("div", { id: "passes" }));
  } catch (err) {
    status(`Object ${id}: ${err.message}`, true);
  }
}

function simpleTable(rows, columns) {
  if (!rows.length) return el("div", { class: "empty" }, "none");
  return el("table", { class: "simple" }, el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, rows.map((r) => el("tr", { class: r.PC_BAND ? `band-${r.PC_BAND}` : "" },
      columns.map((c) => el("td", {}, fmt(r[c])))))));
}

// ---------- region page
function regionView() {
  const form = el("form", { id: "region-form", onsubmit: async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const q = new URLSearchParams({ country: f.get("country"), name: f.get("name"),
                                    off_nadir_deg: f.get("off_nadir"), days: f.get("days"),
                                    at: f.get("at") || iso(globe.simTimeMs()) });
    if (f.get("sun_min")) q.set("sun_min_deg", f.get("sun_min"));
    $("#windows").replaceChildren("computing…");
    try {
      const r = await api(`/api/access?${q}`);
      const s = r.revisit;
      $("#windows").replaceChildren(
        el("div", {}, `${r.region}: ${r.area_km2} km², ${r.grid_points} grid points. ${s.WINDOWS} windows by ` +
           `${s.SATELLITES_WITH_ACCESS} satellites; revisit gap mean ${fmt(s.MEAN_REVISIT_GAP_H)} h, ` +
           `max ${fmt(s.MAX_REVISIT_GAP_H)} h.`),
        simpleTable(r.windows, ["NORAD_CAT_ID", "OBJECT_NAME", "ENTRY_UTC", "EXIT_UTC", "DURATION_S",
          "COVERED_FRACTION", "BEST_OFF_NADIR_DEG"]));
    } catch (err) {
      $("#windows").replaceChildren("");
      status(`Imaging windows: ${err.message}`, true);
    }
  } },
  el("label", {}, "Country ", el("input", { name: "country", value: "Djibouti", size: 14 })),
  el("label", {}, " Satellites (name regex) ", el("input", { name: "name", value: "SENTINEL-2|LANDSAT|PLEIADES", size: 24 })),
  el("label", {}, " Max off-nadir ° ", el("input", { name: "off_nadir", value: "30", size: 3 })),
  el("label", {}, " Sun above ° ", el("input", { name: "sun_min", value: "10", size: 3 })),
  el("label", {}, " Start (UTC) ", el("input", { name: "at", value: iso(globe.simTimeMs()), size: 22 })),
  el("label", {}, " Days ", el("input", { name: "days", value: "7", size: 3 })), " ",
  el("button", {}, "Find imaging windows"));
  $("#view").replaceChildren(el("h2", {}, "Imaging windows over a region"), form, el("div", { id: "windows" }));
}

// ---------- charts: an SVG of W x H, and a function that adds an element to it
function svgChart(W, H, id) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("id", id);
  const add = (tag, attrs, text) => {
    const n = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text) n.textContent = text;
    svg.append(n);
    return n;
  };
  return [svg, add];
}

// ---------- environment page
const envState = { rows: [], sort: "DECAY_UTC", desc: false };

function densityChart(items) {
  // spatial density by altitude, stacked by object class, as an SVG
  const W = 520, H = 220, L = 56, B = 28;
  const classes = ["PL", "PD", "RB", "RD", "UI"];
  const colors = { PL: "#3b82f6", PD: "#f97316", RB: "#a855f7", RD: "#ef4444", UI: "#9ca3af" };
  const x0 = items[0].ALT_LOW_KM, x1 = items[items.length - 1].ALT_HIGH_KM;
  const ymax = Math.max(...items.map((r) => r.DENSITY_PER_KM3)) || 1;
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - 8);
  const sy = (y) => H - B - (y / ymax) * (H - B - 10);
  const [svg, add] = svgChart(W, H, "density-chart");
  const base = items.map(() => 0);
  for (const c of classes) {
    const top = items.map((r, i) => base[i] + r[`${c}_PER_KM3`]);
    const pts = items.map((r, i) => `${sx(r.ALT_LOW_KM)},${sy(top[i])} ${sx(r.ALT_HIGH_KM)},${sy(top[i])}`);
    const back = items.map((r, i) => `${sx(r.ALT_HIGH_KM)},${sy(base[i])} ${sx(r.ALT_LOW_KM)},${sy(base[i])}`).reverse();
    add("polygon", { points: [...pts, ...back].join(" "), fill: colors[c], "fill-opacity": 0.75, "data-class": c });
    top.forEach((v, i) => { base[i] = v; });
  }
  add("line", { x1: L, y1: H - B, x2: W - 8, y2: H - B, stroke: "#888" });
  add("line", { x1: L, y1: 10, x2: L, y2: H - B, stroke: "#888" });
  add("text", { x: L, y: H - 8, "font-size": 10, fill: "#ccc" }, `${x0} km`);
  add("text", { x: W - 60, y: H - 8, "font-size": 10, fill: "#ccc" }, `${x1} km`);
  add("text", { x: 2, y: 14, "font-size": 10, fill: "#ccc" }, ymax.toExponential(1));
  add("text", { x: 2, y: H - B, "font-size": 10, fill: "#ccc" }, "0 /km³");
  classes.forEach((c, i) => add("text", { x: L + 10 + i * 40, y: 24, "font-size": 11, fill: colors[c] }, c));
  return svg;
}

function lifetimeTable() {
  const columns = ["NORAD_CAT_ID", "OBJECT_NAME", "PERIGEE_KM", "APOGEE_KM", "DECAY_UTC",
    "DECAY_EARLY_UTC", "DECAY_LATE_UTC", "LIFETIME_YEARS", "BC_M2_KG", "BC_SOURCE", "REMARK"];
  const key = envState.sort;
  const rows = [...envState.rows].sort((a, b) => {
    const x = a[key], y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * (envState.desc ? -1 : 1);
  });
  return el("table", { id: "lifetimes", class: "simple" },
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", {
      "data-sort": c, class: c === key ? (envState.desc ? "sorted desc" : "sorted") : "",
      onclick: () => {
        envState.desc = envState.sort === c ? !envState.desc : false;
        envState.sort = c;
        $("#lifetimes").replaceWith(lifetimeTable());
      } }, c)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => el("td", {}, fmt(r[c])))))));
}

function csvOf(rows) {
  if (!rows.length) return "";
  const cols = Object.keys(rows[0]);
  const cell = (v) => (v === null || v === undefined ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}

async function loadLifetimes(form) {
  const f = new FormData(form);
  const q = new URLSearchParams({ limit: 2000 });
  for (const k of ["at", "owner", "name"]) if (f.get(k)) q.set(k, f.get(k));
  $("#lifetime-area").replaceChildren("computing re-entry predictions…");
  try {
    const r = await api(`/api/environment/lifetime?${q}`);
    envState.rows = r.items;
    const blob = new Blob([csvOf(r.items)], { type: "text/csv" });
    $("#lifetime-area").replaceChildren(
      el("div", { class: "note" }, `${r.total} objects (first ${r.items.length} shown). Model: ${r.model}`),
      el("a", { id: "lifetime-csv", href: URL.createObjectURL(blob), download: "orbitwatch-lifetimes.csv" }, "CSV"),
      lifetimeTable());
  } catch (err) {
    $("#lifetime-area").replaceChildren("");
    status(`Lifetimes: ${err.message}`, true);
  }
}

async function environmentView() {
  const view = $("#view");
  const dateForm = el("form", { id: "env-form", onsubmit: (e) => { e.preventDefault(); loadEnvironment(e.target); } },
    el("label", {}, "Catalog time (UTC, empty: newest) ", el("input", { name: "at", size: 22 })), " ",
    el("button", {}, "Show"));
  const lifeForm = el("form", { id: "lifetime-form", onsubmit: (e) => { e.preventDefault(); loadLifetimes(e.target); } },
    el("label", {}, "Owner ", el("input", { name: "owner", size: 6 })),
    el("label", {}, " Name (regex) ", el("input", { name: "name", size: 16 })),
    el("input", { name: "at", type: "hidden" }), " ",
    el("button", { id: "lifetime-start" }, "Predict re-entries"));
  view.replaceChildren(el("h2", {}, "Space environment"), dateForm,
    el("div", { id: "env-census" }), el("div", { id: "env-density" }),
    el("h3", {}, "Re-entry predictions"), lifeForm, el("div", { id: "lifetime-area" }),
    el("h3", {}, "Scorecard by owner nation"),
    el("button", { id: "scorecard-start", onclick: loadScorecard }, "Compute the scorecard"),
    el("div", { id: "scorecard-area" }));
  await loadEnvironment(dateForm);
}

async function loadEnvironment(form) {
  const at = new FormData(form).get("at");
  const q = at ? `?at=${encodeURIComponent(at)}` : "";
  $("#lifetime-form input[name='at']").value = at || "";
  try {
    const [census, density] = await Promise.all([api(`/api/environment/census${q}`),
                                                 api(`/api/environment/density${q}`)]);
    $("#env-census").replaceChildren(
      el("h3", {}, `${census.objects} objects in orbit at ${census.at}`),
      simpleTable(census.items, ["ORBIT_CLASS", "TOTAL", "PL", "PD", "RB", "RD", "UI"]));
    $("#env-density").replaceChildren(el("h3", {}, "Spatial density by altitude (objects per km³, time-averaged over each orbit)"),
      densityChart(density.items));
  } catch (err) {
    status(`Environment: ${err.message}`, true);
  }
}

async function loadScorecard() {
  const at = $("#env-form input[name='at']").value;
  $("#scorecard-area").replaceChildren("computing…");
  try {
    const r = await api(`/api/environment/scorecard${at ? `?at=${encodeURIComponent(at)}` : ""}`);
    $("#scorecard-area").replaceChildren(
      el("div", { class: "note" }, r.run_id ? `Conjunctions from screening run ${r.run_id}.` : "No screening run stored: no conjunction columns."),
      simpleTable(r.items, ["OWNER", "OBJECTS", "PL", "PD", "RB", "RD", "IN_LEO", "IN_GEO",
        "DEBRIS_ATTRIBUTED", "DISPOSAL_JUDGED", "COMPLIANT_SHARE", "IN_CROWDED_SHELLS",
        ...(r.run_id ? ["CONJUNCTIONS", "RED_CONJUNCTIONS"] : [])]));
    $("#scorecard-area table").id = "scorecard";
  } catch (err) {
    $("#scorecard-area").replaceChildren("");
    status(`Scorecard: ${err.message}`, true);
  }
}

// ---------- behaviour page
function smaChart(sets, burns) {
  // semi-major axis over time, the manoeuvres as vertical marks
  const W = 520, H = 200, L = 60, B = 24;
  const t = sets.map((x) => Date.parse(x.EPOCH_UTC));
  const a = sets.map((x) => x.SMA_KM);
  const t0 = Math.min(...t), t1 = Math.max(...t) || t0 + 1;
  const lo = Math.min(...a), hi = Math.max(...a);
  const sx = (v) => L + ((v - t0) / Math.max(t1 - t0, 1)) * (W - L - 8);
  const sy = (v) => H - B - ((v - lo) / Math.max(hi - lo, 1e-6)) * (H - B - 10);
  const [svg, add] = svgChart(W, H, "sma-chart");
  for (const m of burns) {
    const x = sx(Date.parse(m.EPOCH_AFTER));
    add("line", { x1: x, y1: 10, x2: x, y2: H - B, stroke: m.DV_M_S === null ? "#a855f7" : "#f97316",
                  "stroke-dasharray": "3,2", class: "burn" });
  }
  add("polyline", { points: t.map((v, i) => `${sx(v)},${sy(a[i])}`).join(" "), fill: "none",
                    stroke: "#60a5fa", "stroke-width": 1.5 });
  add("text", { x: 2, y: 14, "font-size": 10, fill: "#ccc" }, `${hi.toFixed(2)} km`);
  add("text", { x: 2, y: H - B, "font-size": 10, fill: "#ccc" }, `${lo.toFixed(2)} km`);
  add("text", { x: L, y: H - 6, "font-size": 10, fill: "#ccc" }, sets[0].EPOCH_UTC.slice(0, 10));
  add("text", { x: W - 70, y: H - 6, "font-size": 10, fill: "#ccc" }, sets[sets.length - 1].EPOCH_UTC.slice(0, 10));
  return svg;
}

async function showTimeline(id) {
  $("#timeline").replaceChildren("loading…");
  try {
    const tl = await api(`/api/objects/${id}/timeline`);
    $("#timeline").replaceChildren(
      el("h3", {}, `Pattern of life: ${tl.object_name ?? ""} (${id})`),
      el("div", { class: "note" }, `${tl.element_sets.length} element sets; semi-major axis (km), ` +
         "manoeuvres orange, dockings purple"),
      smaChart(tl.element_sets, tl.manoeuvres),
      simpleTable(tl.manoeuvres, ["EPOCH_BEFORE", "EPOCH_AFTER", "KIND", "DV_M_S", "DV_T_M_S", "DA_M", "CONFIDENCE"]));
  } catch (err) {
    $("#timeline").replaceChildren("");
    status(`Timeline: ${err.message}`, true);
  }
}

async function showPairOnGlobe(a, b) {
  const at = iso(globe.simTimeMs());
  const [t1, t2] = await Promise.all([a, b].map((id) =>
    api(`/api/objects/${id}/track?at=${encodeURIComponent(at)}&minutes=100&step_s=30`)));
  globe.clearLines();
  globe.addLine(t1.itrf_km, 0x60a5fa, 0);
  globe.addLine(t2.itrf_km, 0xf472b6, 0);
  globe.lookAt(t1.itrf_km[0]);
}

async function behaviourView() {
  const form = el("form", { id: "man-form", onsubmit: (e) => { e.preventDefault(); loadManoeuvres(e.target); } },
    el("label", {}, "Catalog numbers ", el("input", { name: "ids", size: 12 })),
    el("label", {}, " Name (regex) ", el("input", { name: "name", size: 14 })),
    el("label", {}, " Owner ", el("input", { name: "owner", size: 5 })), " ",
    el("button", { id: "man-start" }, "Find manoeuvres"));
  const prox = el("form", { id: "prox-form", onsubmit: (e) => { e.preventDefault(); loadProximity(e.target); } },
    el("label", {}, "Days ", el("input", { name: "days", value: "3", size: 3 })),
    el("label", {}, " Name (regex) ", el("input", { name: "name", size: 14 })), " ",
    el("button", { id: "prox-start" }, "Find proximity operations"));
  $("#view").replaceChildren(el("h2", {}, "Behaviour in orbit"), form, el("div", { id: "man-area" }),
    el("div", { id: "timeline" }), el("h3", {}, "Proximity operations"), prox, el("div", { id: "prox-area" }));
}

async function loadManoeuvres(form) {
  const f = new FormData(form);
  const q = new URLSearchParams({ limit: 500 });
  for (const k of ["ids", "name", "owner"]) if (f.get(k)) q.set(k, f.get(k));
  $("#man-area").replaceChildren("searching the history…");
  try {
    const r = await api(`/api/behaviour/manoeuvres?${q}`);
    const s = r.summary;
    const rows = r.items.map((m) => el("tr", { "data-id": m.NORAD_CAT_ID, onclick: () => showTimeline(m.NORAD_CAT_ID) },
      ["NORAD_CAT_ID", "OBJECT_NAME", "EPOCH_BEFORE", "EPOCH_AFTER", "KIND", "DV_M_S", "DV_SIGMA_M_S", "DV_T_M_S",
       "DV_N_M_S", "CONFIDENCE", "DA_M"].map((c) => el("td", {}, fmt(m[c])))));
    $("#man-area").replaceChildren(
      el("div", { class: "note" }, `${r.total} manoeuvres and dockings; ${s.objects} objects watched over ` +
         `${s.satellite_years} satellite-years (${s.detections_per_satellite_year} per satellite-year). Click a row for its timeline.`),
      el("table", { id: "manoeuvres", class: "simple" },
        el("thead", {}, el("tr", {}, ["NORAD_CAT_ID", "OBJECT_NAME", "EPOCH_BEFORE", "EPOCH_AFTER", "KIND", "DV_M_S",
          "DV_SIGMA_M_S", "DV_T_M_S", "DV_N_M_S", "CONFIDENCE", "DA_M"].map((c) => el("th", {}, c)))),
        el("tbody", {}, rows)));
  } catch (err) {
    $("#man-area").replaceChildren("");
    status(`Manoeuvres: ${err.message}`, true);
  }
}

async function loadProximity(form) {
  const f = new FormData(form);
  const q = new URLSearchParams({ days: f.get("days") || "3" });
  if (f.get("name")) q.set("name", f.get("name"));
  $("#prox-area").replaceChildren("screening each day's element sets…");
  try {
    const pairs = await api(`/api/behaviour/proximity?${q}`);
    const cols = ["NORAD_CAT_ID_1", "OBJECT_NAME_1", "NORAD_CAT_ID_2", "OBJECT_NAME_2", "CLASS",
      "MIN_RANGE_KM", "MEDIAN_RANGE_KM", "MAX_RANGE_KM", "REL_SPEED_M_S", "ELSET_AGE_DAYS_1", "ELSET_AGE_DAYS_2", "EVIDENCE"];
    $("#prox-area").replaceChildren(el("table", { id: "proximity", class: "simple" },
      el("thead", {}, el("tr", {}, [...cols, ""].map((c) => el("th", {}, c)))),
      el("tbody", {}, pairs.map((p) => el("tr", { class: `prox-${p.CLASS}` },
        cols.map((c) => el("td", {}, fmt(p[c]))),
        el("td", {}, el("a", { href: "#globe", class: "pair-globe",
          onclick: () => showPairOnGlobe(p.NORAD_CAT_ID_1, p.NORAD_CAT_ID_2).catch((e) => status(e.message, true)) },
          "both orbits")))))));
  } catch (err) {
    $("#prox-area").replaceChildren("");
    status(`Proximity: ${err.message}`, true);
  }
}

// ---------- routing
async function route() {
  const [page, arg] = location.hash.replace(/^#/, "").split("/");
  document.body.dataset.page = page || "globe";
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.getAttribute("href") === `#${page || "globe"}`);
  status(staleNote, Boolean(staleNote));
  if (page === "conjunctions") await conjunctionsView();
  else if (page === "object") await objectView(arg);
  else if (page === "region") regionView();
  else if (page === "environment") await environmentView();
  else if (page === "behaviour") await behaviourView();
}

async function main() {
  if (!params.get("at")) {
    try {
      const health = await api("/api/health");
      const newest = health.newest_epoch_utc ? Date.parse(health.newest_epoch_utc) : NaN;
      if (Date.now() - newest > OLD_CATALOG_MS) SIM_START_MS = Math.floor(newest / 3600e3) * 3600e3;
    } catch (err) { /* the globe still starts, at now */ }
  }
  globe = new Globe($("#globe"), (id) => showObjectOnGlobe(id).catch((e) => status(e.message, true)));
  globe.start(SIM_START_MS);
  window.__orbitwatchGlobe = globe; // for the browser tests and the console
  globe.onStats = (fps) => {
    $("#fps").textContent = `${fps.toFixed(0)} frames/s`;
    $("#clock").textContent = `${iso(globe.simTimeMs())} UTC`;
  };
  globeView();
  try {
    const outlines = await api("/api/countries");
    globe.setLand(outlines.rings);
    await refreshPositions();
  } catch (err) {
    status(`Could not load the catalog: ${err.message}`, true);
  }
  // new positions before the 60 s interpolation span runs out
  setInterval(() => refreshPositions().catch((e) => status(e.message, true)), 45_000);
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "1";
}

main();
