// Proposals: the funnel (matching GetProposalFunnel) as a chart, and the
// list with accept/decline for each side still to answer.
import { api, requestId } from '../api.js';
import { errorBox, fill, h, options } from '../dom.js';
import { formatNumber, formatTime, t } from '../i18n.js';
import { nameNode } from '../names.js';
import { regionLabel, regionPicker } from '../regions.js';

const stages = ['proposed', 'accepted', 'agreed', 'declined', 'expired', 'completed'];
const states = ['PROPOSED', 'PARTIALLY_ACCEPTED', 'AGREED', 'DECLINED', 'EXPIRED', 'COMPLETED'];
const open = new Set(['PROPOSED', 'PARTIALLY_ACCEPTED']);
const canAnswer = (p) => ['admin', 'facilitator', 'member'].includes(p.role);

export function proposalsPage(root, principal) {
  const region = regionPicker('proposals', { allowProvince: true });
  const state = h('select', { name: 'proposals-state', 'aria-label': t('common.state') },
    options([['', t('common.all')], ...states.map((s) => [s, t(`state.${s}`)])]));
  const funnel = h('div');
  const list = h('div');
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } },
    region.el, h('label', {}, t('common.state'), state), h('button', { type: 'submit' }, t('common.show')));
  root.append(h('h1', {}, t('proposals.title')), form, h('h2', {}, t('proposals.funnel')), funnel,
              h('h2', {}, t('nav.proposals')), list);
  let chart = null;
  let rows = null;

  async function load() {
    fill(funnel, h('p', { class: 'muted' }, t('common.loading')));
    fill(list);
    rows = h('tbody');
    try {
      const f = await api('/v1/proposals:funnel', { query: { region: region.value() } });
      renderFunnel(f);
    } catch (err) {
      fill(funnel, errorBox(err));
    }
    await page('');
  }

  function renderFunnel(f) {
    const canvas = h('canvas', { role: 'img', 'aria-label': t('proposals.funnel') });
    const value = f.valueAgreed ? `Rp ${formatNumber(f.valueAgreed.units || 0)}` : 'Rp 0';
    fill(funnel, h('div', { class: 'stats' },
      stages.map((s) => h('div', { class: 'stat', dataset: { stage: s } },
        h('div', { class: 'n' }, formatNumber(f[s])), h('div', { class: 'l' }, t(`proposals.${s}`)))),
      h('div', { class: 'stat' }, h('div', { class: 'n' }, value), h('div', { class: 'l' }, t('proposals.value'))),
      h('div', { class: 'stat' }, h('div', { class: 'n' }, formatNumber(Math.round(f.kmSaved || 0))),
        h('div', { class: 'l' }, t('proposals.km')))),
      h('div', { class: 'card' }, h('div', { class: 'chart' }, canvas)));
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels: stages.map((s) => t(`proposals.${s}`)),
              datasets: [{ label: t('nav.proposals'), data: stages.map((s) => Number(f[s] || 0)),
                           backgroundColor: '#0b6e4f' }] },
      options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  async function page(pageToken) {
    try {
      const r = await api('/v1/proposals', {
        query: { region: region.value(), state: state.value, pageSize: 25, pageToken },
      });
      if (!pageToken) {
        fill(list, h('p', { class: 'muted' }, t('common.total', { n: r.totalSize || 0 })),
          h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
            h('th', {}, t('proposals.supplier')), h('th', {}, t('proposals.buyer')),
            h('th', {}, t('common.state')), h('th', { class: 'num' }, t('proposals.score')),
            h('th', {}, t('proposals.actions')))), rows)));
      }
      for (const p of r.proposals || []) rows.append(row(p));
      list.querySelector('button[name=more]')?.remove();
      if (r.nextPageToken) {
        list.append(h('button', { type: 'button', class: 'secondary', name: 'more',
                                  onclick: () => page(r.nextPageToken) }, t('common.more')));
      }
    } catch (err) {
      list.append(errorBox(err));
    }
  }

  function row(p) {
    const msg = h('div');
    const sides = [['supplier', p.supplierAnswer], ['buyer', p.buyerAnswer]];
    const actions = open.has(p.state) && canAnswer(principal)
      ? sides.filter(([, a]) => !a || !a.decision || a.decision === 'PENDING').map(([side]) => [
          h('button', { type: 'button', name: `accept-${side}`, onclick: () => answer(p, side, 'accept', msg) },
            t('proposals.accept', { side: t(`proposals.${side}`) })), ' ',
          h('button', { type: 'button', class: 'danger', name: `decline-${side}`,
                        onclick: () => answer(p, side, 'decline', msg) },
            t('proposals.decline', { side: t(`proposals.${side}`) })), ' '])
      : [];
    const title = p.match?.listing?.title;
    return h('tr', { dataset: { proposal: p.name, state: p.state } },
      h('td', { class: 'supplier' }, nameNode(p.supplier), h('div', { class: 'muted' }, regionLabel(p.supplierRegion))),
      h('td', { class: 'buyer' }, nameNode(p.buyer), h('div', { class: 'muted' }, regionLabel(p.buyerRegion))),
      h('td', {}, t(`state.${p.state}`), h('div', { class: 'muted' }, formatTime(p.createTime)),
        title ? h('div', { class: 'muted' }, title) : null),
      h('td', { class: 'num' }, Number(p.match?.score || 0).toFixed(2)),
      h('td', {}, actions, msg));
  }

  async function answer(p, side, verb, msg) {
    try {
      await api(`/v1/${p.name}:${verb}`, {
        method: 'POST',
        body: { party: p[side], etag: p.etag, requestId: requestId() },
      });
      fill(msg, h('div', { class: 'notice' }, t('proposals.answered')));
      load();
    } catch (err) {
      fill(msg, errorBox(err));
    }
  }

  region.ready.then(load).catch((err) => fill(list, errorBox(err)));
  return () => chart && chart.destroy();
}
