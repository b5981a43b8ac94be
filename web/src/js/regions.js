// Region names and a province → kabupaten/kota picker, from the registry's
// ListRegions (loaded once per province and kept for the session).
import { api } from './api.js';
import { h, options } from './dom.js';
import { t } from './i18n.js';

let provinces = null;
const regencies = new Map();
const names = new Map();

async function listAll(query) {
  const out = [];
  let pageToken = '';
  do {
    const r = await api('/v1/regions', { query: { ...query, pageSize: 1000, pageToken } });
    out.push(...(r.regions || []));
    pageToken = r.nextPageToken || '';
  } while (pageToken);
  for (const reg of out) names.set(reg.name, reg.displayName);
  return out;
}

export async function loadProvinces() {
  if (!provinces) provinces = await listAll({ level: 'PROVINCE' });
  return provinces;
}

export async function loadRegencies(province) {
  if (!regencies.has(province)) regencies.set(province, await listAll({ province }));
  return regencies.get(province);
}

// "regions/33.13" → "Kabupaten Karanganyar" once loaded, else the code.
export function regionLabel(name) {
  return names.get(name) || (name || '').replace(/^regions\//, '');
}

// A province select and a kabupaten/kota select. `value()` is the chosen
// regency, else the province when `allowProvince`, else ''.
export function regionPicker(id, { allowProvince = true, value = '' } = {}) {
  const prov = h('select', { name: `${id}-province`, 'aria-label': t('common.province') });
  const reg = h('select', { name: `${id}-regency`, 'aria-label': t('common.regency') });
  const el = h('div', { class: 'row' },
    h('label', {}, t('common.province'), prov), h('label', {}, t('common.regency'), reg));

  async function fillRegencies(selected) {
    reg.replaceChildren(...options([['', t('common.all')]]));
    if (!prov.value) return;
    const list = await loadRegencies(prov.value);
    reg.append(...options(list.map((r) => [r.name, r.displayName]), selected));
  }
  prov.addEventListener('change', () => fillRegencies(''));

  const ready = (async () => {
    const list = await loadProvinces();
    prov.append(...options([['', t('common.all')], ...list.map((p) => [p.name, p.displayName])]));
    const code = value.replace(/^regions\//, '');
    const provinceCode = code.split('.')[0];
    if (provinceCode) {
      prov.value = 'regions/' + provinceCode;
      await fillRegencies(code.includes('.') ? 'regions/' + code : '');
    } else {
      await fillRegencies('');
    }
  })();

  return {
    el,
    ready,
    value: () => reg.value || (allowProvince ? prov.value : ''),
  };
}
