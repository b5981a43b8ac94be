// Small helpers to build the pages' DOM without string-built HTML (values
// from the API are always set as text, never parsed as markup).
import { explain } from './api.js';

// h('div', {class: 'x', onclick: fn}, child, ...): children are nodes,
// strings or arrays of them; null and false are skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// An error box: the sentence, the service's message and the violations.
export function errorBox(err) {
  const e = explain(err);
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, e.summary),
    e.detail ? h('div', { class: 'muted' }, e.detail) : null,
    e.fields.length
      ? h('ul', {}, e.fields.map((f) => h('li', { dataset: { field: f.field } },
          h('code', {}, f.field), ': ', f.description)))
      : null);
}

// Replaces the content of `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

// Select options from [value, label] pairs.
export function options(pairs, selected) {
  return pairs.map(([v, l]) => h('option', { value: v, selected: v === selected }, l));
}
