// The chat tools' plain parts (src/tools/text.ts): times, results, server and entity matching, tables,
// error texts and the token budget. The tools themselves run in the extension host (tools.test.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  InputError, cell, errorText, fitBudget, intIn, iso, matchEntity, matchServers, parseResults, parseWhen, resultOf, table, utcOffset,
} from '../../src/tools/text';
import { VeeamError } from '../../src/api/errors';
import type { Entity } from '../../src/api/model';

const NOW = Date.parse('2026-11-24T08:00:00Z');

test('parseWhen: relative, ISO with and without zone, local dates, errors', () => {
  assert.equal(parseWhen(undefined, NOW, 'since'), undefined);
  assert.equal(parseWhen('  ', NOW, 'since'), undefined);
  assert.equal(parseWhen('now', NOW, 'since'), NOW);
  assert.equal(parseWhen('24h', NOW, 'since'), NOW - 86_400_000);
  assert.equal(parseWhen('90m', NOW, 'since'), NOW - 90 * 60_000);
  assert.equal(parseWhen('7d', NOW, 'since'), NOW - 7 * 86_400_000);
  assert.equal(parseWhen('2w', NOW, 'since'), NOW - 14 * 86_400_000);
  assert.equal(parseWhen('12 h ago', NOW, 'since'), NOW - 12 * 3_600_000);
  assert.equal(parseWhen('2026-11-23T17:00:00Z', NOW, 'since'), Date.parse('2026-11-23T17:00:00Z'));
  assert.equal(parseWhen('2026-11-23T18:00:00+01:00', NOW, 'since'), Date.parse('2026-11-23T17:00:00Z'));
  assert.equal(parseWhen('2026-11-23T18:00', NOW, 'since'), new Date(2026, 10, 23, 18, 0).getTime(), 'no zone = local time');
  assert.equal(parseWhen('2026-11-23 18:00', NOW, 'since'), new Date(2026, 10, 23, 18, 0).getTime());
  assert.equal(parseWhen('2026-11-23', NOW, 'since'), new Date(2026, 10, 23).getTime(), 'a date = local midnight');
  assert.throws(() => parseWhen('yesterday', NOW, 'since'), (e: Error) => e instanceof InputError && /"since" must be ISO 8601/.test(e.message));
  assert.throws(() => parseWhen('2026-13-45T99:00', NOW, 'until'), InputError);
});

test('iso and utcOffset', () => {
  assert.equal(iso('2026-11-23T17:00:05.123Z'), '2026-11-23T17:00:05Z');
  assert.equal(iso(NOW), '2026-11-24T08:00:00Z');
  assert.equal(iso(undefined), '');
  assert.equal(iso('garbage'), 'garbage');
  assert.match(utcOffset(NOW), /^UTC[+-]\d{2}:\d{2}$/);
});

test('results: words, lists, aliases; unknown words refused', () => {
  assert.equal(resultOf('failed'), 'failed');
  assert.equal(resultOf('queued'), 'running');
  assert.equal(resultOf('idle'), 'other');
  assert.equal(resultOf(undefined), 'other');
  assert.equal(parseResults(undefined), undefined);
  assert.equal(parseResults([]), undefined);
  assert.deepEqual([...parseResults('failed')!], ['failed']);
  assert.deepEqual([...parseResults(['Failed', 'warning'])!], ['failed', 'warning']);
  assert.deepEqual([...parseResults('failed, warning')!], ['failed', 'warning']);
  assert.deepEqual([...parseResults(['error'])!], ['failed']);
  assert.throws(() => parseResults(['broken']), InputError);
});

test('intIn clamps and parses', () => {
  assert.equal(intIn(undefined, 50, 1, 500, 'limit'), 50);
  assert.equal(intIn('20', 50, 1, 500, 'limit'), 20);
  assert.equal(intIn(9999, 50, 1, 500, 'limit'), 500);
  assert.equal(intIn(0, 50, 1, 500, 'limit'), 1);
  assert.throws(() => intIn('many', 50, 1, 500, 'limit'), InputError);
});

test('matchServers: all, exact name, host, unique part; several or none are input errors', () => {
  const s = [
    { def: { name: 'Prod VB365', url: 'https://vb365.lab:4443' } },
    { def: { name: 'Prod EM', url: 'https://em.lab:9398' } },
    { def: { name: 'prod em', url: 'https://em2.lab:9398' } },
  ];
  assert.equal(matchServers(s, undefined).length, 3);
  assert.equal(matchServers(s, 'all').length, 3);
  assert.equal(matchServers(s, '').length, 3);
  assert.deepEqual(matchServers(s, 'PROD VB365'), [s[0]]);
  assert.deepEqual(matchServers(s, 'prod em'), [s[1], s[2]], 'the same name twice: both');
  assert.deepEqual(matchServers(s, 'em.lab:9398'), [s[1]]);
  assert.deepEqual(matchServers(s, 'em2.lab'), [s[2]]);
  assert.deepEqual(matchServers(s, 'vb365'), [s[0]]);
  assert.throws(() => matchServers(s, 'prod'), (e: Error) => e instanceof InputError && /several servers/.test(e.message));
  assert.throws(() => matchServers(s, 'staging'), (e: Error) => e instanceof InputError && /No Veeam server is named "staging". Configured servers: "Prod VB365"/.test(e.message));
});

test('matchEntity: id first, then a unique name; several names are ambiguous', () => {
  const n = (id: string, name: string) => ({ entity: { id, name } as Entity });
  const items = [n('A-1', 'SQL Backup'), n('B-2', 'sql backup'), n('C-3', 'Web')];
  assert.equal(matchEntity(items, 'a-1').found, items[0]);
  assert.equal(matchEntity(items, 'web').found, items[2]);
  assert.deepEqual(matchEntity(items, 'SQL backup').ambiguous, [items[0], items[1]]);
  assert.deepEqual(matchEntity(items, 'nothing'), {});
});

test('cells and tables stay one line per row', () => {
  assert.equal(cell('a | b\n  c'), 'a / b c');
  assert.equal(cell('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
  assert.equal(cell(undefined), '');
  assert.equal(table(['a', 'b'], [[1, 'x|y'], ['', null]]), 'a | b\n1 | x/y\n | ');
});

test('error texts say what to do and never more than the error says', () => {
  const auth = errorText('Prod EM', new VeeamError('auth', 'em.lab rejected the logon of LAB\\admin.'));
  assert.match(auth, /^Prod EM: logon failed \(em\.lab rejected the logon of LAB\\admin\.\) Ask the user to run "Veeam: Enter Password…" for Prod EM/);
  assert.match(errorText('X', new VeeamError('certificate', 'Untrusted.')), /"Veeam: Trust Certificate…"/);
  assert.match(errorText('X', new VeeamError('network', '127.0.0.1:1 refused the connection.')), /^X: unreachable \(127\.0\.0\.1:1 refused/);
  assert.match(errorText('X', new VeeamError('timeout', 'No answer in 30 s.')), /did not answer in time/);
  assert.equal(errorText('X', new VeeamError('config', 'Bad.')), 'X: Bad.');
});

test('fitBudget keeps whole lines and says what it left out', () => {
  const text = Array.from({ length: 500 }, (_, i) => `row ${i} ${'x'.repeat(30)}`).join('\n');
  assert.equal(fitBudget(text, undefined), text);
  assert.equal(fitBudget('short', 10), 'short');
  const cut = fitBudget(text, 500);
  assert.ok(cut.length <= 500 * 4, `${cut.length}`);
  assert.match(cut, /\n… \d+ more lines left out to fit the token budget/);
  assert.ok(cut.startsWith('row 0 '));
});
