// axios uses follow-redirects only when maxRedirects > 0; the transport always sets 0 (a REST
// API that redirects is reported, not followed). Plain http/https stand in for it (~15 KB with debug).
module.exports = { http: require('node:http'), https: require('node:https') };
