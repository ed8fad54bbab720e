/**
 * The GraphiQL page a browser gets on `GET` of the endpoint without a query (as Contentful's explorer): it
 * loads GraphiQL from a public CDN and sends the page's own `access_token` as a bearer token.
 */
export function graphiqlPage(endpoint: string): string {
  const url = JSON.stringify(endpoint).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL</title>
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
<script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
<script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
<script>
  const token = new URLSearchParams(location.search).get('access_token') || '';
  const fetcher = GraphiQL.createFetcher({ url: ${url}, headers: token ? { Authorization: 'Bearer ' + token } : {} });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher }));
</script>
</body>
</html>`;
}
