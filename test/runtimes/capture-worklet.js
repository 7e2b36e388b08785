// AudioWorklet processor of the browser matrix page: hands the microphone's samples to the page
// as interleaved Float32 (the node is created with channelCount 2, so mono is upmixed to L = R),
// about 20 ms per message.
const BLOCKS_PER_MESSAGE = 8;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.blocks = [];
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const left = input[0];
    const right = input[1] ?? input[0];
    const block = new Float32Array(left.length * 2);
    for (let i = 0; i < left.length; i++) {
      block[2 * i] = left[i];
      block[2 * i + 1] = right[i];
    }
    this.blocks.push(block);
    if (this.blocks.length >= BLOCKS_PER_MESSAGE) {
      const out = new Float32Array(this.blocks.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of this.blocks) {
        out.set(b, at);
        at += b.length;
      }
      this.blocks = [];
      this.port.postMessage(out, [out.buffer]);
    }
    return true;
  }
}

registerProcessor('capture', CaptureProcessor);
