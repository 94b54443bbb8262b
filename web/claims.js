/*
 * claims.js — one claim as a card: its sentence with the event trigger,
 * actor, target, place, time and speaker highlighted, then who says it
 * (speaker and relay chain), evidence, modality and IHL tags.
 * Shared by the incident and document pages.
 */
'use strict';

/* Spans of a claim inside its sentence text (string indices). */
DS.claimSpans = function (c) {
  const text = c.sentence.text;
  const spans = [];
  if (c.trigger && c.sentence.start !== null && c.sentence.start !== undefined) {
    const a = c.trigger[0] - c.sentence.start, b = c.trigger[1] - c.sentence.start;
    if (a >= 0 && b > a)
      spans.push({ start: DS.byteToIndex(text, a), end: DS.byteToIndex(text, b),
                   cls: 'hl-trigger', title: 'event: ' + c.type });
  }
  const add = (t, cls, title) => { const s = DS.findSpan(text, t, cls, title); if (s) spans.push(s); };
  if (c.actor) add(c.actor.text, 'hl-actor', 'actor');
  if (c.target) add(c.target.text, 'hl-target', 'target');
  if (c.location) add(c.location.text, 'hl-place', 'place');
  if (c.time) add(c.time.text, 'hl-time', 'time');
  if (c.attribution && c.attribution.speaker) add(c.attribution.speaker.text, 'hl-speaker', 'speaker');
  return spans;
};

DS.claimCard = function (c, opts) {
  opts = opts || {};
  const sent = DS.el('blockquote', { class: 'sentence' });
  DS.highlight(sent, c.sentence.text, DS.claimSpans(c));
  const rows = [];
  const row = (k, ...v) => { if (v.some((x) => x !== null && x !== '' && x !== undefined)) rows.push(DS.el('tr', null, DS.el('th', null, k), DS.el('td', null, ...v))); };
  row('event', DS.typeChip(c.type), c.mode ? ' by ' + DS.label(c.mode) : '',
      c.ordered ? ' (ordered)' : '',
      c.lethal === true ? ' · lethal' : c.lethal === false ? ' · not lethal' : '');
  row('actor', DS.party(c.actor));
  if (c.target) {
    const extra = [c.target.status, c.target.site].filter(Boolean).map(DS.label).join(', ');
    const count = c.target.count ? ' · ' + [c.target.count.qualifier && c.target.count.qualifier !== 'exact' ? DS.label(c.target.count.qualifier) : '', c.target.count.value, c.target.count.unit || ''].filter(Boolean).join(' ') : '';
    row('target', DS.party(c.target), extra ? ' — ' + extra : '', count);
  }
  if (c.location && c.location.text) {
    const l = c.location;
    row('place', l.text, l.name && l.name !== l.text ? ' → ' + l.name : '',
        [l.admin1, l.country].filter(Boolean).length ? ' (' + [l.admin1, l.country].filter(Boolean).join(', ') + ')' : '',
        l.precision ? ' · ' + l.precision : '');
  }
  if (c.time && (c.time.text || c.time.value)) row('time', c.time.text || '', c.time.value ? ' → ' + c.time.value : '');
  if (c.attribution) {
    const chain = DS.el('span', { class: 'chain' });
    const sp = c.attribution.speaker;
    chain.appendChild(sp && sp.text ? DS.party(sp) : DS.el('span', null, 'unnamed source'));
    if (sp && sp.kind) chain.appendChild(DS.el('small', null, ' [' + sp.kind + ']'));
    if (c.attribution.verb) chain.appendChild(DS.el('em', null, ' ' + c.attribution.verb));
    for (const r of c.attribution.relays || []) {
      chain.appendChild(DS.el('span', { class: 'arrow' }, ' → '));
      chain.appendChild(DS.party(r) || DS.el('span', null, '?'));
    }
    if (c.doc && c.doc.outlet) {
      chain.appendChild(DS.el('span', { class: 'arrow' }, ' → '));
      chain.appendChild(DS.el('span', { class: 'party outlet' }, c.doc.outlet));
    }
    row('according to', chain);
  } else {
    row('according to', DS.el('span', { class: 'muted' }, 'the narrator (no attribution)'));
  }
  row('evidence', (c.evidence || []).map(DS.label).join(', '));
  row('modality', DS.el('span', { class: 'tag mod-' + c.modality }, c.modality || '?'));
  if (c.ihl && c.ihl.length) row('IHL', c.ihl.map((t) => DS.el('span', { class: 'tag ihl' }, DS.label(t))));
  if (opts.showDoc && c.doc)
    row('document', DS.el('a', { href: DS.docHref(c.doc.id) }, c.doc.title || c.doc.id),
        c.doc.outlet ? ' — ' + c.doc.outlet : '', c.doc.published ? ', ' + c.doc.published : '');
  if (opts.showIncident && c.incident)
    row('incident', DS.el('a', { href: DS.incidentHref(c.incident) }, 'incident ' + c.incident));
  return DS.el('li', { class: 'claim', 'data-claim': c.id }, sent, DS.el('table', { class: 'kv' }, rows));
};
