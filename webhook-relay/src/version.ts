/** The package version, kept equal to package.json (a test checks it) so the bin needs no file look-up. */
export const RELAY_VERSION = '0.1.0';
