// Listings search with filters (registry ListListings), paged with the
// API's page tokens.
import { api } from '../api.js';
import { errorBox, fill, h, options } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { regionLabel, regionPicker } from '../regions.js';

export function listingsPage(root) {
  const region = regionPicker('listings', { allowProvince: true });
  const kind = h('select', { name: 'listings-kind' },
    options([['', t('common.all')], ['OFFER', t('listings.offer')], ['NEED', t('listings.need')]]));
  const status = h('select', { name: 'listings-status' },
    options([['', t('common.all')], ...['OPEN', 'PAUSED', 'CLOSED', 'FULFILLED'].map((s) => [s, s])], 'OPEN'));
  const category = h('input', { name: 'listings-category', placeholder: 'categories/jahe' });
  const out = h('div');
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); search(''); } },
    region.el, h('label', {}, t('listings.kind'), kind), h('label', {}, t('listings.status'), status),
    h('label', {}, t('listings.category'), category), h('button', { type: 'submit' }, t('common.show')));
  root.append(h('h1', {}, t('listings.title')), form, out);
  let rows = null;

  async function search(pageToken) {
    try {
      const r = await api('/v1/listings', { query: {
        region: region.value(), kind: kind.value, status: status.value,
        category: category.value.trim(), pageSize: 50, pageToken } });
      if (!pageToken) {
        rows = h('tbody');
        fill(out, h('p', { class: 'muted' }, t('common.total', { n: r.totalSize || 0 })),
          h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
            h('th', {}, t('listings.titleCol')), h('th', {}, t('listings.kind')), h('th', {}, t('listings.owner')),
            h('th', {}, t('common.region')), h('th', {}, t('listings.category')), h('th', {}, t('listings.quantity')))),
          rows)));
      }
      for (const l of r.listings || []) {
        const q = l.quantity || {};
        rows.append(h('tr', { dataset: { name: l.name } },
          h('td', {}, l.title), h('td', {}, l.kind === 'NEED' ? t('listings.need') : t('listings.offer')),
          h('td', {}, l.ownerProfile?.displayName || l.owner), h('td', {}, regionLabel(l.region)),
          h('td', {}, (l.category || '').replace(/^categories\//, '')),
          h('td', {}, q.amount ? `${formatNumber(q.amount)} ${q.unit || ''} / ${q.period || ''}` : '')));
      }
      out.querySelector('button[name=more]')?.remove();
      if (r.nextPageToken) {
        out.append(h('button', { type: 'button', class: 'secondary', name: 'more',
                                 onclick: () => search(r.nextPageToken) }, t('common.more')));
      }
    } catch (err) {
      out.append(errorBox(err));
    }
  }

  region.ready.then(() => search('')).catch((err) => fill(out, errorBox(err)));
}
