/**
 * The module graph of src/, checked by `npm run depcheck` (and in .ci/run). Layers, lowest first; each
 * may import only the layers listed for it (type-only imports count too):
 *
 *   domain/                       pure types, constants, errors, ids, paging: nothing else in src/
 *   config.ts, logger.ts, cache/, storage/, outbound/, ratelimit/, metrics/
 *                                 self-contained infrastructure: domain/ only
 *   images/                       Images API parameters, transforms and variants: domain/, storage/
 *   db/                           connection, schema, migrator, versioned update: domain/
 *   validation/, query/           field validation, search grammar -> SQL: db/, domain/
 *   auth/                         actors, permissions, policies, secrets: db/, domain/
 *   events/                       change log, outbox, webhooks: auth/, db/, domain/, outbound/
 *   http/                         request plumbing (auth hook, sys, error handler): the layers above, never resources/
 *   resources/                    one folder per resource: everything above
 *   delivery/                     CDA/CPA/Sync: everything above, resources/ included
 *   graphql/                      the GraphQL Content API: everything above, delivery/ included
 *   app.ts, services.ts, server.ts, bootstrap.ts, cli/
 *                                 the composition root: anything; nothing else imports it
 *
 * Route modules (resources/<name>/routes.ts, delivery/routes.ts, graphql/routes.ts) are registered by app.ts and imported by
 * nothing else. test/ and bench/ are checked for cycles only.
 *
 * app/ is the web app (a browser bundle built by Vite): it reaches the server over HTTP only, so it
 * imports nothing from src/, and nothing in src/ imports it.
 */
const layer = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})` },
});

module.exports = {
  forbidden: [
    {
      name: 'web-app-is-a-client',
      comment: 'app/ talks to the server over HTTP (the CMA); it never imports server code.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^(src|test|bench)/' },
    },
    {
      name: 'server-never-imports-the-web-app',
      comment: 'The server serves the built app as files (dist/app); src/ never imports app/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^app/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included: move the shared piece down or declare a type where it is used.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('domain-is-pure', 'domain/ holds pure types, constants and rules; it imports nothing else from src/.', '^src/domain/', ['domain/']),
    layer(
      'infrastructure-is-self-contained',
      'config, logger, cache, storage, outbound, ratelimit and metrics stand alone (domain/ at most).',
      '^src/(config\\.ts|logger\\.ts|cache/|storage/|outbound/|ratelimit/|metrics/)',
      ['domain/', '$1'],
    ),
    layer(
      'images-below-resources',
      'images/ (Images API parameters, sharp transforms, stored variants) uses domain/ and storage/ only, so GraphQL can share it.',
      '^src/images/',
      ['images/', 'domain/', 'storage/'],
    ),
    layer('db-below-everything', 'db/ imports only domain/.', '^src/db/', ['db/', 'domain/']),
    layer(
      'validation-and-query-below-services',
      'validation/ and query/ are rules over data: db/ and domain/ only, never auth, events, http or resources.',
      '^src/(validation|query)/',
      ['validation/', 'query/', 'db/', 'domain/'],
    ),
    layer('auth-below-resources', 'auth/ decides permissions from the database: db/ and domain/ only.', '^src/auth/', ['auth/', 'db/', 'domain/']),
    layer(
      'events-below-resources',
      'events/ (change log, outbox, webhooks) never imports resources/ or http/.',
      '^src/events/',
      ['events/', 'auth/', 'db/', 'domain/', 'outbound/'],
    ),
    {
      name: 'http-below-resources',
      comment: 'http/ is the request plumbing resources use; it never imports a resource, delivery or the composition root.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(resources/|delivery/|graphql/|cli/|(app|services|server|bootstrap)\\.ts$)' },
    },
    {
      name: 'resources-below-delivery',
      comment: 'delivery/ reads resources; resources never import delivery/.',
      severity: 'error',
      from: { path: '^src/resources/' },
      to: { path: '^src/delivery/' },
    },
    {
      name: 'delivery-below-graphql',
      comment: 'graphql/ reads through delivery/ and resources/; nothing below imports graphql/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(graphql/|cli/|(app|services|server|bootstrap)\\.ts$)' },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'composition-root-on-top',
      comment: 'app.ts, services.ts, server.ts, bootstrap.ts and cli/ wire everything; nothing below imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli/|(app|services|server|bootstrap)\\.ts$)' },
      to: { path: '^src/(cli/|(app|services|server|bootstrap)\\.ts$)' },
    },
    {
      name: 'routes-only-from-app',
      comment: 'Route modules are registered by app.ts; shared helpers belong in a service, view or helper module.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app\\.ts$' },
      to: { path: '^src/(resources/[^/]+|delivery|graphql)/routes\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
