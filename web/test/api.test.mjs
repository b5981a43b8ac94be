// Gateway errors become sentences and field-by-field violations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, apiUrl, explain } from '../src/js/api.js';
import { setLanguage } from '../src/js/i18n.js';

const badRequest = {
  error: {
    code: 400, status: 'INVALID_ARGUMENT', message: 'invalid proposal',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ field: 'proposal.offer_listing', description: 'required' },
                          { field: 'proposal.need_listing', description: 'required' }] },
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_ARGUMENT' },
    ],
  },
};

test('every BadRequest violation is kept, with the service message', () => {
  setLanguage('id');
  const e = explain(new ApiError(400, badRequest));
  assert.equal(e.summary, 'Ada isian yang perlu diperbaiki.');
  assert.equal(e.detail, 'invalid proposal');
  assert.deepEqual(e.fields.map((f) => f.field), ['proposal.offer_listing', 'proposal.need_listing']);
});

test('statuses get their own sentence; the rate limit names its wait', () => {
  setLanguage('en');
  assert.equal(explain(new ApiError(403, { error: { message: 'denied' } })).summary,
               'You are not allowed to do this (outside your role or regions).');
  assert.equal(explain(new ApiError(429, {}, '12')).summary, 'Too many requests. Try again in 12 seconds.');
  assert.equal(explain(new ApiError(418, {})).summary, 'The request failed (418).');
  setLanguage('id');
});

test('query values: arrays repeat, empty ones are left out', () => {
  globalThis.window = { location: { origin: 'http://127.0.0.1:8080' } };
  const url = apiUrl('/v1/statistics', { groupBy: ['PROVINCE', 'SCALE'], region: '', pageToken: undefined });
  assert.equal(url.toString(), 'http://127.0.0.1:8080/v1/statistics?groupBy=PROVINCE&groupBy=SCALE');
});
