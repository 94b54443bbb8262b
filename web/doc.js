/*
 * doc.js — one document: metadata, the cleaned text with claim sentences and
 * event triggers highlighted, a toggle showing the lines cleaning dropped,
 * its claims and the other copies in its origin cluster.
 */
'use strict';

(async function () {
  const $ = (id) => document.getElementById(id);
  const id = DS.param('id');
  if (!id) { DS.showError('errors', new Error('no document id in the address')); return; }
  let res;
  try {
    res = await DS.api('/api/docs/' + encodeURIComponent(id));
  } catch (e) { DS.showError('errors', e); return; }
  const d = res.doc;
  document.title = 'dossier — ' + (d.title || d.id);
  const head = $('doc-head');
  head.appendChild(DS.el('h2', { id: 'doc-title' }, d.title || '(untitled)'));
  const meta = [];
  const m = (k, v) => { if (v) meta.push(DS.el('div', { class: 'fact' }, DS.el('span', { class: 'k' }, k), ' ', v)); };
  m('outlet', d.outlet);
  m('published', d.published);
  m('byline', d.byline);
  m('origin', d.origin);
  m('platform', d.platform);
  if (d.url) m('url', /^https?:\/\//i.test(d.url)
    ? DS.el('a', { href: d.url, rel: 'noopener noreferrer nofollow' }, d.url) : d.url);
  m('path', d.path);
  m('flags', (d.flags || []).join(', '));
  m('id', d.id);
  head.appendChild(DS.el('div', { class: 'facts' }, meta));

  /* the text with claim sentences and triggers marked */
  const text = res.text || '';
  const toIdx = DS.byteIndexer(text);
  const spans = [];
  for (const c of res.claims) {
    if (c.sentence && c.sentence.start !== null && c.sentence.start !== undefined)
      spans.push({ start: toIdx(c.sentence.start), end: toIdx(c.sentence.end), cls: 'claim-sent',
                   title: c.type + (c.modality ? ', ' + c.modality : '') });
    if (c.trigger)
      spans.push({ start: toIdx(c.trigger[0]), end: toIdx(c.trigger[1]), cls: 'hl-trigger',
                   title: 'event: ' + c.type });
  }
  DS.highlight($('doc-text'), text, spans);

  /* what cleaning dropped */
  const dropped = res.dropped || { lines: [] };
  const ol = $('dropped-lines');
  for (const line of dropped.lines || []) ol.appendChild(DS.el('li', null, line));
  const n = (dropped.lines || []).length;
  $('dropped-count').textContent = '(' + n + ' lines: ' + (dropped.boilerplate || 0) +
    ' boilerplate, ' + (dropped.duplicate || 0) + ' duplicate)';
  const btn = $('toggle-dropped');
  btn.textContent = 'Show what cleaning dropped (' + n + ')';
  btn.disabled = n === 0;
  btn.addEventListener('click', () => {
    const show = $('dropped').hidden;
    $('dropped').hidden = !show;
    btn.setAttribute('aria-pressed', String(show));
    btn.textContent = (show ? 'Hide' : 'Show') + ' what cleaning dropped (' + n + ')';
  });

  const list = $('claims');
  for (const c of res.claims) list.appendChild(DS.claimCard(c, { showIncident: true }));
  $('claims-count').textContent = '(' + res.claims.length + ')';

  if (res.cluster && res.cluster.docs && res.cluster.docs.length > 1) {
    $('copies-box').hidden = false;
    for (const o of res.cluster.docs)
      $('copies').appendChild(DS.el('li', { class: o.id === d.id ? 'self' : '' },
        o.id === d.id ? DS.el('strong', null, o.title || o.id)
                      : DS.el('a', { href: DS.docHref(o.id) }, o.title || o.id),
        o.outlet ? ' — ' + o.outlet : '', o.published ? ', ' + o.published : ''));
  }
  document.body.setAttribute('data-ready', '1');
})();
