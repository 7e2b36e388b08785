/** Whether this machine stores numbers little-endian (every common one does): then typed-array views are wire order. */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
