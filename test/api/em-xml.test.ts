// The EM XML reader: list elements, entities in hrefs, and truncated documents caught without
// the parser's (slow) validation pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, arr, obj } from '../../src/api/em/xml';

test('a self-closed root element and a complete document parse', () => {
  assert.equal(parseXml('<?xml version="1.0"?>\n<Error xmlns="http://www.veeam.com/ent/v1.0" Message="gone" StatusCode="404"/>').value.Message, 'gone');
  const { root, value } = parseXml('<EntityReferences xmlns="x"><Ref Name="a" Href="https://em:9398/api/jobs/1?format=Entity&amp;x=1"/></EntityReferences>\n');
  assert.equal(root, 'EntityReferences');
  const refs = arr(value.Ref);
  assert.equal(refs.length, 1, 'one child is still a list');
  assert.equal(refs[0].Href, 'https://em:9398/api/jobs/1?format=Entity&x=1');
});

test('documents cut anywhere are refused, also right after a self-closing child', () => {
  const full = '<Tasks xmlns="x"><Task Href="h"><Links><Link Rel="Delete" Href="h"/></Links><State>Running</State></Task></Tasks>';
  for (let cut = 1; cut < full.length - 1; cut++) {
    assert.throws(() => parseXml(full.slice(0, cut)), Error, `cut at ${cut}: ${full.slice(0, cut)}`);
  }
  assert.equal(obj(arr(parseXml(full).value.Task)[0]).State, 'Running');
});
