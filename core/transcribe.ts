// The Transcribe streaming wire protocol in one import: the presigned URL, the AudioEvent frames
// the client sends, and the classification of what the service sends back.
export { transcribeUrl } from './transcribe-url.js';
export type { TranscribeUrlOptions } from './transcribe-url.js';
export { audioEvent, audioEventLength, encodeAudioEventInto, endOfStream } from './audio-event.js';
export { parseServerMessage } from './server-message.js';
export type { ServerMessage } from './server-message.js';
