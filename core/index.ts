// Public surface of the protocol core: every contract of DESIGN.md is exported from here.
export { crc32, crc32Table, setCrc32Implementation } from './crc32.js';
export type { Crc32Function } from './crc32.js';
