// The overview webview's page: a strict Content-Security-Policy with the render's nonce, the stylesheet
// and the script from media/, nothing inline. Pure (no vscode): html.ts fills in the webview's URLs, and
// the bench (test/bench/webview-bench.ts) loads the very same page into chromium.
export function pageHtml(o: { cspSource: string; css: string; js: string; nonce: string }): string {
  const src = o.cspSource;
  const csp = [
    "default-src 'none'", `img-src ${src} data:`, `style-src ${src}`, `font-src ${src}`, `script-src 'nonce-${o.nonce}'`,
    "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${o.css}">
<title>Veeam Overview</title>
</head>
<body>
<main id="app" data-nonce-checked="1"><p class="muted">Loading the Veeam overview…</p></main>
<script nonce="${o.nonce}" src="${o.js}"></script>
</body>
</html>`;
}
