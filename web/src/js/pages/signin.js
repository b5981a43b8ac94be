// Sign-in: paste a token; it is kept in the browser's storage.
import { signIn } from '../auth.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function signInPage(root, done) {
  const area = h('textarea', { name: 'token', 'aria-label': t('signin.token'), autocomplete: 'off', spellcheck: 'false' });
  const msg = h('div');
  const form = h('form', {
    class: 'card signin',
    onsubmit: (e) => {
      e.preventDefault();
      const why = signIn(area.value);
      if (why) {
        msg.replaceChildren(h('div', { class: 'error', role: 'alert' }, t(why)));
        return;
      }
      done();
    },
  },
  h('h1', {}, t('signin.title')),
  h('p', { class: 'muted' }, t('signin.help')),
  h('label', {}, t('signin.token'), area),
  msg,
  h('p', {}, h('button', { type: 'submit' }, t('signin.submit'))));
  root.replaceChildren(form);
}
