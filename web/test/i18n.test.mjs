// Both languages have every text, with the same placeholders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTexts, pick, setLanguage, t } from '../src/js/i18n.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every text exists in Indonesian and English with the same placeholders', () => {
  const id = allTexts.id;
  const en = allTexts.en;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(id).sort());
  for (const key of Object.keys(id)) {
    assert.deepEqual(placeholders(en[key]), placeholders(id[key]), key);
    assert.notEqual(en[key].trim(), '', key);
  }
});

test('t fills placeholders in the chosen language; pick falls back', () => {
  setLanguage('id');
  assert.equal(t('report.summary', { n: 3, ab: 2, ba: 1 }), '3 peluang: 2 dari A ke B, 1 dari B ke A.');
  assert.equal(pick('Jahe', 'Ginger'), 'Jahe');
  setLanguage('en');
  assert.equal(t('error.429', { retry: 7 }), 'Too many requests. Try again in 7 seconds.');
  assert.equal(pick('Jahe', ''), 'Jahe');
  assert.equal(t('no.such.key'), 'no.such.key');
  setLanguage('id');
});
