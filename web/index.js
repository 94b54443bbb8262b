/*
 * index.js — the front page: filters, map (Leaflet over offline country
 * outlines), timeline with a brush, incident list and full-text search.
 *
 * Data: GET /api/timeline (counts per day and type, every matching incident)
 * and GET /api/incidents (the rows for map and list) with the form's filters;
 * the timeline brush adds a date range to the incidents query, so map and
 * list follow it while the timeline keeps showing the whole span.
 */
'use strict';

(function () {
  const PAGE = 200;          // list rows added per "show more"
  const MAP_LIMIT = 3000;    // incidents fetched for map + list
  const DAY_MS = 86400000;

  const state = { incidents: [], more: false, days: [], shown: PAGE, brush: null,
                  hitIncidents: null, map: null, markers: null, fitted: false, canvas: null };
  const $ = (id) => document.getElementById(id);

  const dayOf = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? Math.floor(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS) : null;
  };
  const isoOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

  /* ---- filters ----------------------------------------------------------- */
  function fillSelect(sel, values) {
    for (const v of values) sel.appendChild(DS.el('option', { value: v }, DS.label(v)));
  }

  function formParams() {
    const f = $('filters');
    const p = {};
    for (const el of f.elements) {
      if (!el.name || el.value === '') continue;
      p[el.name] = el.name === 'source_country' || el.name === 'country'
        ? el.value.toUpperCase() : el.value;
    }
    return p;
  }

  function paramsToForm() {
    const q = new URLSearchParams(window.location.search);
    for (const el of $('filters').elements)
      if (el.name && q.has(el.name)) el.value = q.get(el.name);
  }

  /* ---- list -------------------------------------------------------------- */
  function visible() {
    return state.incidents.filter((inc) => !state.hitIncidents || state.hitIncidents.has(inc.id));
  }

  function renderList(rows) {
    const body = DS.clear($('list'));
    for (const inc of rows.slice(0, state.shown)) {
      const place = [inc.place, inc.country].filter(Boolean).join(', ');
      const tr = DS.el('tr', { 'data-id': inc.id, 'data-type': inc.type },
        DS.el('td', { class: 'nowrap' }, inc.date || '—'),
        DS.el('td', null, DS.typeChip(inc.type)),
        DS.el('td', null, place || '—'),
        DS.el('td', null, DS.el('a', { href: DS.incidentHref(inc.id), class: 'summary' },
                                inc.summary || '(no sentence)'),
              inc.ihl && inc.ihl.length ? DS.el('div', { class: 'tags' },
                inc.ihl.map((t) => DS.el('span', { class: 'tag ihl' }, DS.label(t)))) : null),
        DS.el('td', { class: 'num' }, String(inc.norigins)),
        DS.el('td', { class: 'num' }, String(inc.nclaims)));
      body.appendChild(tr);
    }
    $('list-count').textContent = '(' + (state.more ? 'first ' : '') + rows.length + ')';
    $('more').hidden = rows.length <= state.shown;
  }

  /* ---- map --------------------------------------------------------------- */
  function initMap() {
    if (typeof L === 'undefined') {
      $('map').appendChild(DS.el('p', { class: 'error' },
        'Map library missing: run scripts/setup to install the web assets.'));
      return;
    }
    const map = L.map('map', { worldCopyJump: true, minZoom: 1, maxZoom: 12 })
      .setView([48.5, 34], 5);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Places: GeoNames · Outlines: Natural Earth · Leaflet');
    state.map = map;
    state.markers = L.layerGroup().addTo(map);
    fetch('/gen/countries.geojson').then((r) => (r.ok ? r.json() : null)).then((geo) => {
      if (!geo) return;
      L.geoJSON(geo, { interactive: false,
                       style: { color: '#8a8f98', weight: 0.7, fillColor: '#eef0f2',
                                fillOpacity: 1 } }).addTo(map).bringToBack();
    }).catch(() => {});
  }

  function popup(inc) {
    return DS.el('div', { class: 'popup' },
      DS.el('div', null, DS.typeChip(inc.type), ' ', inc.date || ''),
      DS.el('div', null, DS.el('strong', null, inc.place || '')),
      DS.el('p', null, inc.summary || ''),
      DS.el('div', null, inc.norigins + ' independent origin(s), ' + inc.nclaims + ' claim(s)'),
      DS.el('a', { href: DS.incidentHref(inc.id) }, 'open incident'));
  }

  function renderMap(rows) {
    if (!state.markers) return;
    state.markers.clearLayers();
    const pts = [];
    for (const inc of rows) {
      if (typeof inc.lat !== 'number' || typeof inc.lon !== 'number') continue;
      const color = DS.COLORS[inc.type] || '#444';
      const m = L.circleMarker([inc.lat, inc.lon], {
        radius: 4 + 3 * Math.sqrt(Math.max(1, inc.norigins || 1)),
        color: '#222', weight: 1, fillColor: color, fillOpacity: 0.75,
        className: 'incident-marker type-' + inc.type,
        // thousands of markers: one canvas instead of one SVG element each
        renderer: rows.length > 1500 ? (state.canvas || (state.canvas = L.canvas())) : undefined });
      m.bindPopup(() => popup(inc));
      m.addTo(state.markers);
      pts.push([inc.lat, inc.lon]);
    }
    if (pts.length && !state.fitted) {
      state.map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 7 });
      state.fitted = true;
    }
    $('map').setAttribute('data-markers', String(pts.length));
  }

  function renderLegend() {
    const box = DS.clear($('legend'));
    for (const t of DS.TYPES) box.appendChild(DS.el('span', { class: 'legend-item' }, DS.typeChip(t)));
    box.appendChild(DS.el('span', { class: 'legend-note' }, 'marker size: independent origins'));
  }

  /* ---- timeline ---------------------------------------------------------- */
  const svgNS = 'http://www.w3.org/2000/svg';
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS(svgNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  };
  const TL = { x0: 40, h: 120, pad: 18, lo: 0, hi: 0, bin: 1, width: 600 };

  function renderTimeline() {
    const svg = DS.clear($('timeline'));
    const days = state.days.map((d) => dayOf(d[0])).filter((d) => d !== null);
    TL.width = Math.max(300, svg.clientWidth || svg.parentNode.clientWidth || 600);
    svg.setAttribute('viewBox', '0 0 ' + TL.width + ' ' + TL.h);
    svg.setAttribute('height', TL.h);
    if (!days.length) {
      const t = svgEl('text', { x: TL.x0, y: TL.h / 2, class: 'tl-empty' });
      t.textContent = 'no dated incidents';
      svg.appendChild(t);
      $('tl-caption').textContent = '';
      return;
    }
    TL.lo = days.reduce((a, b) => Math.min(a, b));
    TL.hi = days.reduce((a, b) => Math.max(a, b));
    const span = TL.hi - TL.lo + 1;
    TL.bin = span <= 180 ? 1 : span <= 1260 ? 7 : 30;
    const nb = Math.ceil(span / TL.bin);
    const counts = Array.from({ length: nb }, () => ({}));
    let max = 1;
    for (const [iso, type, n] of state.days) {
      const d = dayOf(iso);
      if (d === null) continue;
      const b = Math.floor((d - TL.lo) / TL.bin);
      counts[b][type] = (counts[b][type] || 0) + n;
    }
    for (const c of counts) max = Math.max(max, Object.values(c).reduce((a, b) => a + b, 0));
    const w = (TL.width - TL.x0 - 10) / nb;
    const plotH = TL.h - TL.pad - 6;
    for (let b = 0; b < nb; b++) {
      let y = TL.h - TL.pad;
      for (const t of DS.TYPES) {
        const n = counts[b][t] || 0;
        if (!n) continue;
        const hgt = (n / max) * plotH;
        y -= hgt;
        const r = svgEl('rect', { x: TL.x0 + b * w, y, width: Math.max(1, w - 1), height: hgt,
                                  fill: DS.COLORS[t], class: 'tl-bar' });
        const title = svgEl('title');
        title.textContent = isoOf(TL.lo + b * TL.bin) + ': ' + n + ' ' + t;
        r.appendChild(title);
        svg.appendChild(r);
      }
    }
    const axis = (x, label, anchor) => {
      const t = svgEl('text', { x, y: TL.h - 4, class: 'tl-axis', 'text-anchor': anchor });
      t.textContent = label;
      svg.appendChild(t);
    };
    axis(TL.x0, isoOf(TL.lo), 'start');
    axis(TL.width - 10, isoOf(TL.hi), 'end');
    const ymax = svgEl('text', { x: TL.x0 - 4, y: 12, class: 'tl-axis', 'text-anchor': 'end' });
    ymax.textContent = String(max);
    svg.appendChild(ymax);
    $('tl-caption').textContent = '(incidents per ' +
      (TL.bin === 1 ? 'day' : TL.bin === 7 ? 'week' : '30 days') + ' by type; drag to select dates)';
    const sel = svgEl('rect', { id: 'tl-brush', class: 'tl-brush', x: 0, y: 0, width: 0,
                                height: TL.h - TL.pad, visibility: 'hidden' });
    svg.appendChild(sel);
    drawBrush();
  }

  const xToDay = (x) => {
    const nb = Math.ceil((TL.hi - TL.lo + 1) / TL.bin);
    const w = (TL.width - TL.x0 - 10) / nb;
    const b = Math.min(nb - 1, Math.max(0, Math.floor((x - TL.x0) / w)));
    return TL.lo + b * TL.bin;
  };
  const dayToX = (d) => {
    const nb = Math.ceil((TL.hi - TL.lo + 1) / TL.bin);
    const w = (TL.width - TL.x0 - 10) / nb;
    return TL.x0 + Math.floor((d - TL.lo) / TL.bin) * w;
  };

  function drawBrush(tmp) {
    const r = document.getElementById('tl-brush');
    if (!r) return;
    const range = tmp || state.brush;
    if (!range) { r.setAttribute('visibility', 'hidden'); return; }
    const nb = Math.ceil((TL.hi - TL.lo + 1) / TL.bin);
    const w = (TL.width - TL.x0 - 10) / nb;
    const x1 = dayToX(range[0]), x2 = dayToX(range[1]) + w;
    r.setAttribute('x', x1);
    r.setAttribute('width', Math.max(2, x2 - x1));
    r.setAttribute('visibility', 'visible');
  }

  function setupBrush() {
    const svg = $('timeline');
    let start = null;
    const svgX = (ev) => {
      const rect = svg.getBoundingClientRect();
      return ((ev.clientX - rect.left) / rect.width) * TL.width;
    };
    svg.addEventListener('pointerdown', (ev) => {
      if (!state.days.length) return;
      start = svgX(ev);
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener('pointermove', (ev) => {
      if (start === null) return;
      const a = xToDay(Math.min(start, svgX(ev))), b = xToDay(Math.max(start, svgX(ev)));
      drawBrush([a, b + TL.bin - 1]);
    });
    svg.addEventListener('pointerup', (ev) => {
      if (start === null) return;
      const x = svgX(ev);
      if (Math.abs(x - start) < 3) setBrush(null);
      else setBrush([xToDay(Math.min(start, x)), xToDay(Math.max(start, x)) + TL.bin - 1]);
      start = null;
    });
    $('tl-clear').addEventListener('click', () => setBrush(null));
  }

  function setBrush(range) {
    state.brush = range;
    state.shown = PAGE;
    $('tl-clear').hidden = !range;
    $('tl-caption').setAttribute('data-brush', range ? isoOf(range[0]) + '..' + isoOf(range[1]) : '');
    if (range) $('tl-caption').textContent = 'selected ' + isoOf(range[0]) + ' – ' + isoOf(range[1]);
    drawBrush();
    fetchIncidents();
  }

  function refreshViews() {
    const rows = visible();
    renderList(rows);
    renderMap(rows);
  }

  /* ---- search hits ------------------------------------------------------- */
  function renderHits(res) {
    const box = $('hits-box');
    if (!res) { box.hidden = true; return; }
    box.hidden = false;
    const ol = DS.clear($('hits'));
    $('hits-count').textContent = '(' + res.hits.length + ')';
    for (const h of res.hits) {
      const p = DS.el('p', { class: 'snippet' });
      DS.highlight(p, h.sentence, (h.matches || []).map((m) => ({
        start: DS.byteToIndex(h.sentence, m[0]), end: DS.byteToIndex(h.sentence, m[1]),
        cls: 'hl-match' })));
      ol.appendChild(DS.el('li', null, p,
        DS.el('div', { class: 'meta' },
          DS.el('a', { href: DS.docHref(h.doc.id) }, h.doc.title || h.doc.id),
          h.doc.outlet ? ' — ' + h.doc.outlet : '',
          h.incident ? [' · ', DS.el('a', { href: DS.incidentHref(h.incident) },
                                      'incident ' + h.incident)] : '')));
    }
  }

  /* ---- loading ----------------------------------------------------------- */
  function incidentParams() {
    const p = formParams();
    delete p.q;
    if (state.brush) {   // the brush narrows the form's date range
      const a = isoOf(state.brush[0]), b = isoOf(state.brush[1]);
      p.since = p.since && p.since > a ? p.since : a;
      p.until = p.until && p.until < b ? p.until : b;
    }
    return Object.assign({ limit: MAP_LIMIT }, p);
  }

  let fetchSeq = 0;   // answers of superseded requests are dropped

  async function fetchIncidents() {
    const mine = ++fetchSeq;
    document.body.setAttribute('data-loading', '1');
    DS.clear($('errors'));
    try {
      const res = await DS.api('/api/incidents', incidentParams());
      if (mine !== fetchSeq) return;
      state.incidents = res.incidents;
      state.more = res.more;
    } catch (e) {
      if (mine !== fetchSeq) return;
      state.incidents = [];
      DS.showError('errors', e);
    }
    state.shown = PAGE;
    refreshViews();
    document.body.setAttribute('data-loading', '0');
  }

  async function load() {
    const p = formParams();
    const q = p.q;
    delete p.q;
    DS.clear($('errors'));
    const url = new URLSearchParams(formParams()).toString();
    window.history.replaceState(null, '', url ? '?' + url : window.location.pathname);
    document.body.setAttribute('data-loading', '1');
    state.brush = null;
    $('tl-clear').hidden = true;
    $('tl-caption').setAttribute('data-brush', '');
    try {
      const [tl, hits] = await Promise.all([
        DS.api('/api/timeline', p),
        q ? DS.api('/api/search', { q, limit: 200 }) : Promise.resolve(null)]);
      state.days = tl.days;
      state.hitIncidents = hits ? new Set(hits.hits.map((h) => h.incident).filter(Boolean)) : null;
      renderTimeline();
      renderHits(hits);
    } catch (e) {
      state.days = [];
      renderTimeline();
      renderHits(null);
      DS.showError('errors', e);
    }
    await fetchIncidents();
  }

  async function init() {
    fillSelect($('f-type'), DS.TYPES);
    fillSelect($('f-ihl'), DS.IHL);
    fillSelect($('f-modality'), DS.MODALITIES);
    paramsToForm();
    renderLegend();
    initMap();
    setupBrush();
    $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
    $('f-reset').addEventListener('click', () => { $('filters').reset(); load(); });
    $('more').addEventListener('click', () => { state.shown += PAGE; renderList(visible()); });
    for (const id of ['f-type', 'f-ihl', 'f-modality'])
      $(id).addEventListener('change', () => load());
    DS.api('/api/stats').then((s) => {
      $('stats').textContent = s.docs + ' documents · ' + s.claims + ' claims · ' +
        s.incidents + ' incidents · ' + s.clusters + ' origin clusters';
    }).catch((e) => { $('stats').textContent = 'database unavailable: ' + e.message; });
    await load();
  }

  init();
})();
