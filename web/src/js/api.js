// Calls to the gateway's HTTP/JSON API with the user's bearer token, and
// errors explained in words a facilitator understands.
import { token } from './auth.js';
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.status || '';
    this.retryAfter = retryAfter;
    // BadRequest violations, field by field.
    this.violations = [];
    for (const d of e.details || []) {
      for (const v of d.fieldViolations || []) this.violations.push(v);
    }
  }
}

// `query` values that are arrays repeat the parameter; empty ones are left out.
export function apiUrl(path, query = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') url.searchParams.append(k, one);
    }
  }
  return url;
}

export async function api(path, { method = 'GET', query, body } = {}) {
  const headers = { Accept: 'application/json' };
  const tok = token();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(apiUrl(path, query), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: { message: t('error.network') } });
  }
  const text = await res.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { error: { message: text } };
  }
  if (!res.ok) throw new ApiError(res.status, json, res.headers.get('retry-after'));
  return json;
}

// A fresh AIP-155 request id, so that a retried click never writes twice.
export function requestId() {
  return 'web-' + crypto.randomUUID();
}

// Human words for an error: a sentence for its status, the service's own
// message, and every field violation.
export function explain(err) {
  if (!(err instanceof ApiError)) return { summary: String(err && err.message ? err.message : err), detail: '', fields: [] };
  let summary;
  if (err.status === 0) summary = t('error.network');
  else if (err.status === 429) summary = t('error.429', { retry: err.retryAfter || '60' });
  else {
    const key = `error.${err.status}`;
    summary = t(key) === key ? t('error.generic', { status: err.status }) : t(key);
  }
  const detail = err.status === 0 ? '' : err.message;
  return { summary, detail, fields: err.violations };
}
