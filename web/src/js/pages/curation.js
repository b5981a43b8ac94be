// Curation campaign progress (curation ListCampaigns and
// GetCampaignProgress) as a stacked chart and a table.
import { api } from '../api.js';
import { errorBox, fill, h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { regionLabel } from '../regions.js';

const measures = [
  ['submitted', 'curation.submitted'], ['fullyReviewed', 'curation.reviewed'],
  ['reviewsPending', 'curation.pending'], ['passed', 'curation.passed'],
  ['waitlisted', 'curation.waitlisted'], ['failed', 'curation.failed'],
];
const colors = ['#2f80ed', '#56ccf2', '#f2c94c', '#0b6e4f', '#f2994a', '#a8201a'];

export function curationPage(root) {
  const out = h('div');
  root.append(h('h1', {}, t('curation.title')), out);
  let chart = null;

  async function load() {
    fill(out, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const campaigns = [];
      let pageToken = '';
      do {
        const r = await api('/v1/campaigns', { query: { pageSize: 100, pageToken } });
        campaigns.push(...(r.campaigns || []));
        pageToken = r.nextPageToken || '';
      } while (pageToken);
      const progress = await Promise.all(campaigns.map((c) => api(`/v1/${c.name}/progress`)));
      render(campaigns, progress);
    } catch (err) {
      fill(out, errorBox(err));
    }
  }

  function render(campaigns, progress) {
    if (!campaigns.length) return fill(out, h('p', {}, t('common.none')));
    const canvas = h('canvas', { role: 'img', 'aria-label': t('curation.title') });
    fill(out, h('div', { class: 'card' }, h('div', { class: 'chart' }, canvas)),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, t('curation.campaign')), h('th', {}, t('common.region')),
          h('th', {}, t('common.state')), measures.map(([, l]) => h('th', { class: 'num' }, t(l))))),
        h('tbody', {}, campaigns.map((c, i) => h('tr', { dataset: { name: c.name } },
          h('td', {}, c.displayName || c.name), h('td', {}, regionLabel(c.region)), h('td', {}, c.state),
          measures.map(([k]) => h('td', { class: 'num' }, formatNumber(progress[i].total?.[k])))))))));
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels: campaigns.map((c) => c.displayName || c.name),
              datasets: measures.map(([k, l], j) => ({ label: t(l), backgroundColor: colors[j],
                                                     data: progress.map((p) => Number(p.total?.[k] || 0)) })) },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  load();
  return () => chart && chart.destroy();
}
