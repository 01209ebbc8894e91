// `debug` comes in through axios's proxy agent, which is never used (proxy: false; VS Code proxies).
// A silent logger stands in for it.
module.exports = function createDebug() { const log = () => undefined; log.enabled = false; log.extend = createDebug; return log; };
module.exports.enabled = () => false;
