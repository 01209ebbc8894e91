// axios's xhr and fetch adapters are for browsers; the extension host always uses the http
// adapter (`adapter: 'http'`). The bundle carries these empty stand-ins instead (~10 KB).
export default false;
export const getFetch = () => undefined;
