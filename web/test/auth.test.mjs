// Reading who is signed in from a token, and whose inbox they read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeToken, recipient } from '../src/js/auth.js';

const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;

test('decodes the claims of a token, including non-ASCII text', () => {
  const claims = { sub: 'users/ani-é', role: 'facilitator', regions: ['33.13'], exp: 2000000000 };
  assert.deepEqual(decodeToken(jwt(claims)), claims);
  assert.deepEqual(decodeToken(`  ${jwt(claims)}\n`), claims);
});

test('refuses what is not a token', () => {
  assert.equal(decodeToken(''), null);
  assert.equal(decodeToken('abc.def'), null);
  assert.equal(decodeToken('a.!!!.c'), null);
  assert.equal(decodeToken(`x.${Buffer.from('"text"').toString('base64url')}.y`), null);
});

test('a member reads its organisation inbox, everyone else their own', () => {
  assert.equal(recipient({ role: 'member', organization: 'enterprises/01abc', subject: 'users/u' }),
               'recipients/enterprises~01abc');
  assert.equal(recipient({ role: 'facilitator', organization: '', subject: 'users/ani' }),
               'recipients/users~ani');
});
