// axios's Node build imports `form-data` (and with it the 130 KB mime-db) only for multipart
// uploads, which this extension never sends. The bundle uses this stand-in instead.
module.exports = class FormData {
  constructor() { throw new Error('multipart form data is not supported in this bundle'); }
};
