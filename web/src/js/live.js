// The live notification feed: the user's inbox streamed as Server-Sent
// Events through the gateway (notification Subscribe), opened at sign-in and
// kept open while the dashboard is. The last cursor seen is stored, and
// every (re)connection sends it as Last-Event-ID, so nothing is lost or
// repeated across reconnects and reloads.
import { fetchEventSource } from '/vendor/fetch-event-source/index.js';
import { ApiError, api } from './api.js';
import { recipient, token } from './auth.js';

const listeners = new Set();
const stateListeners = new Set();
let controller = null;
let timer = 0;
let state = 'off';
let received = [];
let unseen = 0;

function cursorKey(p) {
  return 'jalin.cursor:' + recipient(p);
}

function setState(s) {
  state = s;
  for (const f of stateListeners) f(s);
}

export function liveState() {
  return state;
}

// Notifications that arrived live since sign-in, newest first.
export function liveNotifications() {
  return received;
}

// Live notifications not yet shown on the feed page.
export function unseenCount() {
  return unseen;
}

export function markSeen() {
  unseen = 0;
}

export function onNotification(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function onLiveState(f) {
  stateListeners.add(f);
  return () => stateListeners.delete(f);
}

export function stopLive() {
  if (controller) controller.abort();
  controller = null;
  window.clearTimeout(timer);
  received = [];
  unseen = 0;
  setState('off');
}

export async function startLive(p) {
  stopLive();
  const key = cursorKey(p);
  if (!localStorage.getItem(key)) {
    // Start after the newest notification already in the inbox: what the
    // feed lists, plus everything after it, with no gap in between.
    try {
      const r = await api(`/v1/${recipient(p)}/notifications`, { query: { pageSize: 1 } });
      const newest = (r.notifications || [])[0];
      if (newest && newest.cursor) localStorage.setItem(key, newest.cursor);
    } catch {
      // The stream below reports the problem.
    }
  }
  connect(p, key, 1000);
}

function connect(p, key, backoff) {
  const ctrl = new AbortController();
  controller = ctrl;
  const headers = { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' };
  const cursor = localStorage.getItem(key);
  if (cursor) headers['last-event-id'] = cursor;
  setState('connecting');
  let fatal = false;
  fetchEventSource(`/v1/${recipient(p)}/notifications:subscribe`, {
    headers,
    signal: ctrl.signal,
    openWhenHidden: true,
    async onopen(res) {
      if (res.ok && (res.headers.get('content-type') || '').startsWith('text/event-stream')) {
        backoff = 1000;
        setState('live');
        return;
      }
      const body = await res.json().catch(() => ({}));
      // Refusals other than the rate limit do not get better by retrying.
      fatal = res.status >= 400 && res.status < 500 && res.status !== 429;
      throw new ApiError(res.status, body, res.headers.get('retry-after'));
    },
    onmessage(ev) {
      if (ev.event === 'error' || !ev.data) return;
      const n = JSON.parse(ev.data);
      if (n.cursor) localStorage.setItem(key, n.cursor);
      received = [n, ...received];
      unseen += 1;
      for (const f of listeners) f(n);
    },
    onclose() {
      // The stream ended (stream timeout, a service restarting): resume.
      throw new Error('stream closed');
    },
    onerror(err) {
      // Stop the library's own retry: we reconnect with the stored cursor.
      throw err;
    },
  }).catch(() => {
    if (ctrl.signal.aborted || controller !== ctrl) return;
    if (fatal) {
      setState('off');
      return;
    }
    setState('retrying');
    timer = window.setTimeout(() => connect(p, key, Math.min(backoff * 2, 30000)), backoff);
  });
}
