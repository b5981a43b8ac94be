// The notification feed: the inbox (ListNotifications, paged) with live
// notifications added on top as they arrive, and the user's subscriptions.
import { api, requestId } from '../api.js';
import { recipient } from '../auth.js';
import { errorBox, fill, h } from '../dom.js';
import { formatTime, pick, t } from '../i18n.js';
import { liveNotifications, onNotification } from '../live.js';

const followTypes = ['jalin.matching.proposal.*', 'jalin.curation.*'];

export function feedPage(root, principal) {
  const inbox = recipient(principal);
  const list = h('ul', { class: 'feed' });
  const more = h('div');
  const subs = h('div');
  const seen = new Set();
  root.append(h('h1', {}, t('feed.title')),
    h('div', { class: 'row no-print' },
      h('button', { type: 'button', class: 'secondary', name: 'mark-all', onclick: markAll }, t('feed.markAll'))),
    list, more, h('h2', {}, t('feed.subscriptions')), subs);

  function item(n, live) {
    return h('li', { class: n.read ? '' : 'unread', dataset: { live: String(live), eventType: n.eventType || '', name: n.name } },
      h('div', { class: 'title' }, pick(n.titleId, n.titleEn)),
      h('div', {}, pick(n.bodyId, n.bodyEn)),
      h('div', { class: 'meta' }, formatTime(n.createTime), ' · ', n.eventType));
  }

  function add(n, live, top) {
    if (seen.has(n.name)) return;
    seen.add(n.name);
    list.querySelector('.empty')?.remove();
    if (top) list.prepend(item(n, live));
    else list.append(item(n, live));
  }

  async function page(pageToken) {
    try {
      const r = await api(`/v1/${inbox}/notifications`, { query: { pageSize: 20, pageToken } });
      for (const n of r.notifications || []) add(n, false, false);
      if (!list.children.length) list.append(h('li', { class: 'empty muted' }, t('feed.empty')));
      fill(more, r.nextPageToken
        ? h('button', { type: 'button', class: 'secondary', name: 'more', onclick: () => page(r.nextPageToken) }, t('common.more'))
        : null);
    } catch (err) {
      fill(more, errorBox(err));
    }
  }

  async function markAll() {
    try {
      await api(`/v1/${inbox}/notifications/-:markRead`, { method: 'POST', body: { requestId: requestId() } });
      for (const li of list.querySelectorAll('li.unread')) li.classList.remove('unread');
    } catch (err) {
      fill(more, errorBox(err));
    }
  }

  async function loadSubscriptions() {
    try {
      const r = await api('/v1/subscriptions', { query: { pageSize: 100 } });
      const mine = r.subscriptions || [];
      fill(subs,
        mine.length ? h('ul', { class: 'subscriptions' }, mine.map((s) => h('li', { dataset: { name: s.name } },
          [...(s.filter?.eventTypes || []), ...(s.filter?.regions || [])].join(', ') || s.name, ' ',
          h('button', { type: 'button', class: 'link', onclick: () => remove(s.name) }, t('feed.delete')))))
          : h('p', { class: 'muted' }, t('feed.noSubscriptions')),
        h('button', { type: 'button', name: 'follow', onclick: follow }, t('feed.follow')));
    } catch (err) {
      fill(subs, errorBox(err));
    }
  }

  async function follow() {
    try {
      await api('/v1/subscriptions', {
        method: 'POST',
        query: { requestId: requestId() },
        body: { filter: { eventTypes: followTypes,
                          regions: principal.regions.map((r) => (r.startsWith('regions/') ? r : 'regions/' + r)) } },
      });
      loadSubscriptions();
    } catch (err) {
      subs.append(errorBox(err));
    }
  }

  async function remove(name) {
    try {
      await api(`/v1/${name}`, { method: 'DELETE' });
      loadSubscriptions();
    } catch (err) {
      subs.append(errorBox(err));
    }
  }

  // Live ones first (already received while on other pages), then history.
  for (const n of [...liveNotifications()].reverse()) add(n, true, true);
  const off = onNotification((n) => add(n, true, true));
  page('');
  loadSubscriptions();
  return off;
}
