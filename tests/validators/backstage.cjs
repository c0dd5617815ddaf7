// Validates a multi-document Backstage catalog file with @backstage/catalog-model's own
// validators, the way the catalog does on ingestion: the entity policies (schema, field
// formats, no foreign root fields, default namespace), then the kind's validator.
// Usage: node backstage.cjs FILE. Prints one line per problem; exits 1 on any, 0 when all pass.
'use strict';
const fs = require('fs');
const YAML = require('yaml');
const m = require('@backstage/catalog-model');

async function main() {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const docs = YAML.parseAllDocuments(text);
  const policy = m.EntityPolicies.allOf([
    new m.DefaultNamespaceEntityPolicy(),
    new m.NoForeignRootFieldsEntityPolicy(),
    new m.FieldFormatEntityPolicy(),
    new m.SchemaValidEntityPolicy(),
  ]);
  const kinds = [
    m.apiEntityV1alpha1Validator,
    m.componentEntityV1alpha1Validator,
    m.groupEntityV1alpha1Validator,
    m.resourceEntityV1alpha1Validator,
    m.systemEntityV1alpha1Validator,
    m.domainEntityV1alpha1Validator,
    m.userEntityV1alpha1Validator,
  ];
  let bad = 0;
  const counts = {};
  const entities = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length) {
      console.log(`document ${i + 1}: YAML: ${doc.errors.map(e => e.message).join('; ')}`);
      bad++;
      continue;
    }
    const entity = doc.toJS();
    try {
      const out = await policy.enforce(entity);
      if (!out) throw new Error('rejected by the entity policies');
      let known = false;
      for (const k of kinds) {
        if (await k.check(out)) known = true;
      }
      if (!known) throw new Error(`no validator accepts kind ${entity.kind}`);
      counts[entity.kind] = (counts[entity.kind] || 0) + 1;
      entities.push(entity);
    } catch (e) {
      console.log(`document ${i + 1} (${entity && entity.kind} ${entity && entity.metadata && entity.metadata.name}): ${e.message}`);
      bad++;
    }
  }
  // Every reference between entities resolves within the file (the catalog would show a
  // dangling relation otherwise).
  const names = new Set(entities.map(e => `${e.kind.toLowerCase()}:${e.metadata.name}`));
  const ref = (r, kind) => (r.includes(':') ? r : `${kind}:${r}`).toLowerCase();
  for (const e of entities) {
    const s = e.spec || {};
    const refs = [];
    if (s.owner) refs.push(ref(s.owner, 'group'));
    if (s.system) refs.push(ref(s.system, 'system'));
    for (const k of ['providesApis', 'consumesApis']) for (const r of s[k] || []) refs.push(ref(r, 'api'));
    for (const r of s.dependsOn || []) refs.push(ref(r, 'component'));
    for (const r of refs) {
      if (!names.has(r)) {
        console.log(`${e.kind} ${e.metadata.name}: ${r} is not in the file`);
        bad++;
      }
    }
  }
  // What came through the YAML parser, for the round-trip count: stackmap's ids.
  const ann = (e, k) => (e.metadata.annotations || {})[k];
  const systems = entities.filter(e => e.kind === 'System').map(e => ann(e, 'stackmap/system-id'));
  const flows = entities.filter(e => e.kind === 'API').map(e => ann(e, 'stackmap/flow-id'));
  for (const e of entities) {
    const f = ann(e, 'stackmap/flows');
    if (e.kind === 'Component' || e.kind === 'Resource') if (f) flows.push(...f.split(' '));
  }
  console.log(`ids ${JSON.stringify({ systems: systems.sort(), flows: flows.sort() })}`);
  console.log(`checked ${docs.length} documents: ${JSON.stringify(counts)}`);
  process.exit(bad ? 1 : 0);
}
main().catch(e => { console.log(e.stack); process.exit(2); });
