// axios imports http2 when it loads, for requests with httpVersion 2, which the transport never makes.
// node:http2 (~3.5 ms CPU) is loaded on first use of these instead (axios reads only them).
let http2;
const load = () => (http2 ??= require('node:http2'));
module.exports = {
  get connect() { return load().connect; },
  get constants() { return load().constants; },
};
