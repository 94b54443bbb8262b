/*
 * common.js — helpers shared by the dossier pages.
 *
 * Safety rule of every page: data from the API reaches the DOM only as text
 * (DS.el with string children → text nodes, textContent), never through
 * innerHTML, and links are built from ids with encodeURIComponent.
 */
'use strict';

const DS = {};

DS.TYPES = ['attack', 'threaten', 'capture', 'seize', 'surrender', 'flee', 'exchange',
            'casualties'];
DS.COLORS = {
  attack: '#d62728', threaten: '#ff7f0e', capture: '#9467bd', seize: '#8c564b',
  surrender: '#2ca02c', flee: '#17becf', exchange: '#1f77b4', casualties: '#6b6b6b'
};
DS.IHL = ['attack_on_civilians', 'killing_hors_de_combat', 'ill_treatment_of_pow',
          'attack_on_protected_site', 'killing_own_forces', 'unlawful_order'];
DS.MODALITIES = ['asserted', 'reported', 'alleged', 'confirmed', 'disputed', 'denied',
                 'hypothetical'];

/* DS.el('a', {href: …, class: …}, 'text', childNode, …): attributes are set
 * with setAttribute (values are strings, never markup); children that are
 * strings become text nodes. */
DS.el = function (tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'href' && !DS.safeHref(String(v))) continue;
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number'
      ? document.createTextNode(String(c)) : c);
  }
  return e;
};

/* Relative links to our pages, or http(s) links to sources; nothing else
 * (no javascript:, data:, …). */
DS.safeHref = function (h) {
  return /^(https?:\/\/|[a-z]+\.html(\?|$)|\?|#)/i.test(h);
};

DS.clear = function (node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
};

DS.incidentHref = (id) => 'incident.html?id=' + encodeURIComponent(id);
DS.docHref = (id) => 'doc.html?id=' + encodeURIComponent(id);

DS.param = (name) => new URLSearchParams(window.location.search).get(name);

/* GET /api/…; resolves to the parsed JSON, rejects with the API's message. */
DS.api = async function (path, params) {
  let url = path;
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      if (v !== null && v !== undefined && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) url += '?' + s;
  }
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
  return body;
};

DS.typeChip = function (type) {
  const chip = DS.el('span', { class: 'chip type-' + (DS.COLORS[type] ? type : 'unknown') },
                     type || '?');
  return chip;
};

DS.label = (s) => (s || '').replace(/_/g, ' ');

DS.party = function (p) {
  if (!p || !p.text) return null;
  const bits = [p.country, p.role].filter(Boolean).join(' ');
  return DS.el('span', { class: 'party' }, p.text, bits ? DS.el('small', null, ' (' + bits + ')') : null);
};

/* UTF-8 byte offset → index in the JS string s (the API gives byte offsets). */
DS.byteToIndex = function (s, byteOff) {
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    if (b >= byteOff) return i;
    const c = s.codePointAt(i);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (c >= 0x10000) i++;
  }
  return s.length;
};

/* Fill node with text where spans [{start, end, cls, title}] (string indices,
 * may overlap) are wrapped in <mark class="…">; everything as text nodes. */
DS.highlight = function (node, text, spans) {
  const cuts = new Set([0, text.length]);
  const ok = spans.filter((s) => s && s.end > s.start && s.start >= 0 && s.end <= text.length);
  for (const s of ok) { cuts.add(s.start); cuts.add(s.end); }
  const pts = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    const piece = text.slice(a, b);
    const on = ok.filter((s) => s.start <= a && s.end >= b);
    if (!on.length) { node.appendChild(document.createTextNode(piece)); continue; }
    const m = DS.el('mark', { class: on.map((s) => s.cls).join(' '),
                              title: on.map((s) => s.title).filter(Boolean).join(', ') || null },
                    piece);
    node.appendChild(m);
  }
  return node;
};

/* First whole-word occurrence of needle in hay (case-insensitive; any
 * occurrence when none stands alone), as a span.  Parties are stored as text
 * without offsets, so this is where the page finds them in the sentence. */
DS.findSpan = function (hay, needle, cls, title) {
  if (!needle) return null;
  const h = hay.toLowerCase(), n = String(needle).toLowerCase();
  const letter = /[\p{L}\p{N}]/u;
  let first = -1;
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    if (first < 0) first = i;
    const before = i > 0 ? hay[i - 1] : ' ', after = hay[i + n.length] || ' ';
    if (!letter.test(before) && !letter.test(after)) { first = i; break; }
  }
  return first < 0 ? null : { start: first, end: first + n.length, cls, title };
};

DS.showError = function (where, err) {
  const box = document.getElementById(where) || document.body;
  box.appendChild(DS.el('p', { class: 'error', role: 'alert' }, 'Error: ' + err.message));
};

DS.fmtDate = (d) => d || 'date unknown';

/* A converter from UTF-8 byte offsets to string indices for one long text
 * (binary search over a prefix table built once). */
DS.byteIndexer = function (s) {
  const at = new Uint32Array(s.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    at[i] = b;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { at[i + 1] = b; b += 4; i++; continue; }
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  at[s.length] = b;
  return function (off) {
    let lo = 0, hi = s.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (at[mid] < off) lo = mid + 1; else hi = mid; }
    return lo;
  };
};
