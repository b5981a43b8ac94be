// Display names of registry records ("enterprises/x", "clusters/x",
// "partners/x"), fetched once per record and kept for the session.
import { api } from './api.js';

const cache = new Map();

// Resolves to the record's display name, or its resource name when it
// cannot be read (deleted, or outside what the caller may see).
export function displayName(name) {
  if (!/^(enterprises|clusters|partners)\/[^/]+$/.test(name || '')) return Promise.resolve(name || '');
  if (!cache.has(name)) {
    cache.set(name, api(`/v1/${name}`).then((r) => r.displayName || name, () => name));
  }
  return cache.get(name);
}

// A text node showing `name` until its display name arrives.
export function nameNode(name) {
  const node = document.createTextNode(name || '');
  displayName(name).then((d) => { node.textContent = d; });
  return node;
}
