/*
 * incident.js — one incident: summary, every claim (highlighted sentence,
 * attribution chain, evidence, modality), origin clusters and mirrors.
 */
'use strict';

(async function () {
  const $ = (id) => document.getElementById(id);
  const id = DS.param('id');
  if (!id || !/^\d+$/.test(id)) { DS.showError('errors', new Error('no incident id in the address')); return; }
  let res;
  try {
    res = await DS.api('/api/incidents/' + encodeURIComponent(id));
  } catch (e) { DS.showError('errors', e); return; }
  const inc = res.incident;
  document.title = 'dossier — incident ' + inc.id + ' (' + inc.type + ')';
  const head = $('incident');
  const facts = [];
  const fact = (k, ...v) => facts.push(DS.el('div', { class: 'fact' }, DS.el('span', { class: 'k' }, k), ' ', ...v));
  fact('when', DS.fmtDate(inc.date));
  fact('where', [inc.place, inc.admin1, inc.country].filter(Boolean).join(', ') || 'unknown',
       typeof inc.lat === 'number' ? ' (' + inc.lat.toFixed(2) + ', ' + inc.lon.toFixed(2) + ')' : '');
  fact('actor', inc.actor ? inc.actor + (inc.actor_country ? ' (' + inc.actor_country + ')' : '') : '—');
  fact('target', inc.target ? inc.target + (inc.target_country ? ' (' + inc.target_country + ')' : '') : '—',
       inc.status ? ' · ' + DS.label(inc.status) : '', inc.site ? ' · ' + DS.label(inc.site) : '');
  fact('independent origins', DS.el('strong', { id: 'norigins' }, String(inc.norigins)),
       ' from ' + inc.ndocs + ' document(s), ' + inc.nclaims + ' claim(s)');
  fact('sources from', (inc.source_countries || []).join(', ') || 'unknown');
  fact('modality', 'strongest ' + (inc.strongest || '?') + ', weakest ' + (inc.weakest || '?'),
       inc.confirmed ? DS.el('span', { class: 'tag mod-confirmed' }, 'confirmed') : '',
       inc.disputed ? DS.el('span', { class: 'tag mod-disputed' }, 'disputed') : '');
  if (inc.fatalities !== null && inc.fatalities >= 0) fact('fatalities', String(inc.fatalities));
  head.appendChild(DS.el('h2', null, DS.typeChip(inc.type), ' Incident ' + inc.id));
  head.appendChild(DS.el('p', { class: 'lead' }, inc.summary || ''));
  if (inc.ihl && inc.ihl.length)
    head.appendChild(DS.el('div', { class: 'tags' }, inc.ihl.map((t) => DS.el('span', { class: 'tag ihl' }, DS.label(t)))));
  head.appendChild(DS.el('div', { class: 'facts' }, facts));

  const list = $('claims');
  for (const c of res.claims) list.appendChild(DS.claimCard(c, { showDoc: true }));
  $('claims-count').textContent = '(' + res.claims.length + ')';

  const box = $('clusters');
  for (const cl of res.clusters) {
    const ul = DS.el('ul', { class: 'cluster-docs' });
    for (const d of cl.docs)
      ul.appendChild(DS.el('li', { class: d.in_incident ? 'in' : 'out' },
        DS.el('a', { href: DS.docHref(d.id) }, d.title || d.id),
        d.outlet ? ' — ' + d.outlet : '', d.published ? ', ' + d.published : '',
        d.in_incident ? '' : DS.el('small', { class: 'muted' }, ' (copy without a claim of this incident)')));
    box.appendChild(DS.el('div', { class: 'cluster', 'data-cluster': cl.id },
      DS.el('h3', null, 'Origin ' + (cl.label || '#' + cl.id),
            DS.el('small', null, ' · ' + cl.docs.length + ' document(s)')), ul));
  }
  $('clusters-count').textContent = '(' + res.clusters.length + ')';
  if (res.mirrors && res.mirrors.length) {
    $('mirrors-box').hidden = false;
    for (const m of res.mirrors)
      $('mirrors').appendChild(DS.el('li', null, DS.el('a', { href: DS.incidentHref(m.id) },
        'Incident ' + m.id), ' ', DS.typeChip(m.type), ' ', m.date || '', ' — ', m.summary || ''));
  }
  document.body.setAttribute('data-ready', '1');
})();
