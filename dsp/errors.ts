/**
 * The DSP layer's one error class (dsp/ imports nothing from core/, so it has its own). Callers
 * branch on `code`, never on message text.
 */
export type DspErrorCode =
  | 'BAD_RATE' // a sample rate out of range or not an integer
  | 'BAD_CHANNELS' // channels other than 1 or 2
  | 'BAD_QUALITY' // quality other than 'fast' | 'balanced' | 'high'
  | 'BAD_INPUT' // input of the wrong type
  | 'PARTIAL_FRAME' // interleaved stereo samples that do not split into whole frames
  | 'OUTPUT_TOO_SMALL' // a caller-given output buffer cannot hold the result
  | 'DISPOSED'; // the object was disposed

export class DspError extends Error {
  override readonly name: string = 'DspError';
  readonly code: DspErrorCode;

  constructor(code: DspErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}
