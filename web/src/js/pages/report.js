// Channeling report between two regions (matching
// GenerateChannelingReport): the follow-up list of a meeting, printable,
// with a button to propose each listing match.
import { api, requestId } from '../api.js';
import { errorBox, fill, h } from '../dom.js';
import { formatTime, pick, t } from '../i18n.js';
import { regionLabel, regionPicker } from '../regions.js';

const canPropose = (p) => p.role === 'admin' || p.role === 'facilitator';

export function reportPage(root, principal) {
  const a = regionPicker('report-a', { allowProvince: false });
  const b = regionPicker('report-b', { allowProvince: true });
  const out = h('div');
  const form = h('form', { class: 'filters card', onsubmit: (e) => { e.preventDefault(); generate(); } },
    h('div', {}, h('strong', {}, t('report.a')), a.el),
    h('div', {}, h('strong', {}, t('report.b')), b.el),
    h('button', { type: 'submit', name: 'generate' }, t('report.generate')));
  root.append(h('h1', {}, t('report.title')), form, out);
  Promise.all([a.ready, b.ready]).catch((err) => out.replaceChildren(errorBox(err)));

  async function generate() {
    if (!a.value()) return fill(out, h('div', { class: 'error', role: 'alert' }, t('report.needA')));
    if (!b.value()) return fill(out, h('div', { class: 'error', role: 'alert' }, t('report.needB')));
    fill(out, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const r = await api('/v1/channelingReports:generate',
                          { query: { regionA: a.value(), regionB: b.value() } });
      render(r);
    } catch (err) {
      fill(out, errorBox(err));
    }
  }

  async function propose(opp, button, msg) {
    button.disabled = true;
    try {
      const p = await api('/v1/proposals', {
        method: 'POST',
        query: { requestId: requestId() },
        body: { offerListing: opp.offerListing, needListing: opp.needListing },
      });
      fill(msg, h('div', { class: 'notice', dataset: { proposal: p.name } }, t('report.proposed', { name: p.name })));
    } catch (err) {
      button.disabled = false;
      fill(msg, errorBox(err));
    }
  }

  function render(r) {
    const pairs = r.pairs || [];
    fill(out, h('div', { class: 'card report' },
      h('div', { class: 'row' },
        h('h2', {}, `${regionLabel(r.regionA)} ↔ ${regionLabel(r.regionB)}`),
        h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, t('common.print'))),
      h('p', { class: 'summary' }, t('report.summary', {
        n: r.opportunityCount || 0, ab: r.aToBCount || 0, ba: r.bToACount || 0 })),
      h('p', { class: 'muted' }, t('report.generated', { time: formatTime(r.generateTime) })),
      pairs.length ? null : h('p', {}, t('common.none')),
      h('ol', { class: 'pairs' }, pairs.map((pair) => h('li', { class: 'pair' },
        h('h3', {}, `${pair.supplierDisplayName || pair.supplier} (${regionLabel(pair.supplierRegion)}) → `
                    + `${pair.buyerDisplayName || pair.buyer} (${regionLabel(pair.buyerRegion)})`,
          ' ', h('span', { class: 'badge' }, t('report.strength', { s: Number(pair.strength || 0).toFixed(2) }))),
        (pair.opportunities || []).map((opp) => {
          const msg = h('div');
          const isMatch = opp.kind === 'LISTING_MATCH';
          const button = isMatch && canPropose(principal)
            ? h('button', { type: 'button', class: 'secondary', name: 'propose',
                            onclick: (e) => propose(opp, e.currentTarget, msg) }, t('report.propose'))
            : null;
          return h('div', { class: 'opportunity', dataset: { kind: opp.kind || '' } },
            h('div', { class: 'opp' },
              h('p', {}, pick(opp.text?.id, opp.text?.en),
                isMatch ? null : [' ', h('span', { class: 'badge' }, t('report.complementarity'))]),
              button),
            msg);
        }))))));
  }
}
