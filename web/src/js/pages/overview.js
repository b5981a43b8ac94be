// Overview: UMKM, clusters, open offers and needs for the country or a
// province, broken down by province or by kabupaten/kota (registry
// GetStatistics), as a chart and a table.
import { api } from '../api.js';
import { errorBox, fill, h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { loadProvinces, regionLabel } from '../regions.js';

const measures = [
  ['enterprises', 'overview.enterprises', '#0b6e4f'],
  ['clusters', 'overview.clusters', '#2f80ed'],
  ['openOffers', 'overview.offers', '#f2994a'],
  ['openNeeds', 'overview.needs', '#9b51e0'],
];

export function overviewPage(root) {
  const province = h('select', { name: 'overview-province', 'aria-label': t('common.province') });
  const out = h('div');
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('label', {}, t('common.province'), province),
    h('button', { type: 'submit' }, t('common.show')));
  root.append(h('h1', {}, t('overview.title')), form, out);
  let chart = null;

  async function load() {
    fill(out, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const region = province.value;
      const stats = await api('/v1/statistics', {
        query: { region, groupBy: region ? 'REGION' : 'PROVINCE' },
      });
      render(stats, region);
    } catch (err) {
      fill(out, errorBox(err));
    }
  }

  function render(stats, region) {
    const total = stats.total || {};
    const cards = h('div', { class: 'stats' },
      [['enterprises', 'overview.enterprises'], ['clusters', 'overview.clusters'],
       ['clusterMembers', 'overview.members'], ['partners', 'overview.partners'],
       ['openOffers', 'overview.offers'], ['openNeeds', 'overview.needs']]
        .map(([k, label]) => h('div', { class: 'stat', dataset: { measure: k } },
          h('div', { class: 'n' }, formatNumber(total[k])), h('div', { class: 'l' }, t(label)))));
    const breakdown = (stats.breakdowns || [])[0] || { buckets: [] };
    const buckets = [...(breakdown.buckets || [])]
      .sort((a, b) => Number(b.counts?.enterprises || 0) - Number(a.counts?.enterprises || 0));
    const label = (b) => b.displayName || regionLabel(b.key);
    const canvas = h('canvas', { 'aria-label': t(region ? 'overview.byRegency' : 'overview.byProvince'), role: 'img' });
    const table = h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('common.region')),
        measures.map(([, l]) => h('th', { class: 'num' }, t(l))))),
      h('tbody', {}, buckets.length
        ? buckets.map((b) => h('tr', { dataset: { key: b.key } }, h('td', {}, label(b)),
            measures.map(([k]) => h('td', { class: 'num' }, formatNumber(b.counts?.[k])))))
        : h('tr', {}, h('td', { colspan: 5 }, t('common.none'))))));
    fill(out, cards,
      h('h2', {}, t(region ? 'overview.byRegency' : 'overview.byProvince')),
      h('div', { class: 'card' }, h('div', { class: 'chart' }, canvas)), table);
    if (chart) chart.destroy();
    const top = buckets.slice(0, 20);
    chart = new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: top.map(label),
        datasets: measures.map(([k, l, color]) => ({
          label: t(l), data: top.map((b) => Number(b.counts?.[k] || 0)), backgroundColor: color,
        })),
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  loadProvinces().then((list) => {
    province.append(h('option', { value: '' }, t('common.all')),
      ...list.map((p) => h('option', { value: p.name }, p.displayName)));
  }).catch((err) => out.before(errorBox(err)));
  load();
  return () => chart && chart.destroy();
}
