/** The module exporting `failureConverter`, for every data converter (client, worker, workflow bundle). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');
