// The dashboard shell: sign-in, navigation by URL hash (#/overview …), the
// language switch, who is signed in and the live feed's state.
import { principal, signOut } from './auth.js';
import { h, fill } from './dom.js';
import { language, setLanguage, t } from './i18n.js';
import { liveState, markSeen, unseenCount, onLiveState, onNotification, startLive, stopLive } from './live.js';
import { curationPage } from './pages/curation.js';
import { feedPage } from './pages/feed.js';
import { listingsPage } from './pages/listings.js';
import { overviewPage } from './pages/overview.js';
import { proposalsPage } from './pages/proposals.js';
import { reportPage } from './pages/report.js';
import { signInPage } from './pages/signin.js';

const pages = {
  overview: overviewPage, listings: listingsPage, report: reportPage,
  proposals: proposalsPage, curation: curationPage, feed: feedPage,
};

const app = document.getElementById('app');
let cleanup = null;

function renderShell(p) {
  const current = (location.hash.replace(/^#\//, '') || 'overview').split('?')[0];
  if (p && current === 'feed') markSeen();
  const unseen = unseenCount();
  fill(document.getElementById('nav'), p
    ? Object.keys(pages).map((name) => h('a', {
        href: `#/${name}`, class: name === current ? 'active' : null, 'data-page': name,
      }, t(`nav.${name}`), name === 'feed' && unseen ? ` (${t('feed.new', { n: unseen })})` : ''))
    : []);
  const user = document.getElementById('user');
  user.textContent = p
    ? `${p.subject} · ${t(`role.${p.role}`)} · ${p.regions.length ? p.regions.join(', ') : t('who.all')}`
    : '';
  const out = document.getElementById('signout');
  out.hidden = !p;
  out.textContent = t('signin.out');
  const live = document.getElementById('live');
  live.hidden = !p;
  live.dataset.state = liveState();
  live.textContent = t(`live.${liveState()}`);
  document.getElementById('lang').value = language();
}

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const p = principal();
  renderShell(p);
  if (!p) {
    signInPage(app, () => {
      startLive(principal());
      location.hash = '#/overview';
      route();
    });
    return;
  }
  const name = (location.hash.replace(/^#\//, '') || 'overview').split('?')[0];
  const page = pages[name] || overviewPage;
  app.replaceChildren();
  cleanup = page(app, p) || null;
}

document.getElementById('lang').addEventListener('change', (e) => {
  setLanguage(e.target.value);
  route();
});
document.getElementById('signout').addEventListener('click', () => {
  stopLive();
  signOut();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
onLiveState(() => renderShell(principal()));
onNotification(() => renderShell(principal()));

setLanguage(language());
if (principal()) startLive(principal());
route();
