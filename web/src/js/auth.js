// The signed-in user: the bearer token kept in the browser's storage and
// the claims read from it (role, regions, subject, organisation). The token
// is only read here to show who is signed in; the services verify it.

const KEY = 'jalin.token';

// Claims of a JWT, or null when it is not one.
export function decodeToken(token) {
  const parts = String(token).trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
        .split('').map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    const claims = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export function token() {
  return localStorage.getItem(KEY) || '';
}

// The principal of the stored token, or null when signed out or expired.
export function principal() {
  const tok = token();
  if (!tok) return null;
  const c = decodeToken(tok);
  if (!c || (c.exp && c.exp * 1000 < Date.now())) return null;
  return {
    subject: c.sub || '',
    role: c.role || 'viewer',
    regions: Array.isArray(c.regions) ? c.regions : [],
    organization: c.org || '',
  };
}

// Stores `tok` and returns '' or the i18n key of why it cannot be used.
export function signIn(tok) {
  const c = decodeToken(tok);
  if (!c) return 'signin.bad';
  if (c.exp && c.exp * 1000 < Date.now()) return 'signin.expired';
  localStorage.setItem(KEY, tok.trim());
  return '';
}

export function signOut() {
  localStorage.removeItem(KEY);
  localStorage.removeItem('jalin.cursor');
}

// The inbox a user reads: a member reads its organisation's, everyone else
// their own subject's ("users/ani" → "recipients/users~ani").
export function recipient(p) {
  const who = p.role === 'member' && p.organization ? p.organization : p.subject;
  return 'recipients/' + who.replace(/\//g, '~');
}

// "33.13" or "regions/33.13" → "regions/33.13".
export function regionName(code) {
  return code.startsWith('regions/') ? code : 'regions/' + code;
}
