/**
 * Protocol constants the emulator exports. Kept free of Node imports so the published
 * declarations need neither @types/node nor @types/ws.
 */

export const STANDARD_PATH = '/stream-transcription-websocket';
export const MEDICAL_PATH = '/medical-stream-transcription-websocket';

/** AWS's exact text (amazon-transcribe-streaming-sdk#118), whatever idleTimeoutMs is. */
export const IDLE_TIMEOUT_MESSAGE = 'Your request timed out because no new audio was received for 15 seconds.';
