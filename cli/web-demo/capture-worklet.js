// AudioWorklet processor of the web demo: hands the microphone's samples (mono: the node is made
// with one channel, so the browser downmixes) to the page about every 21 ms, as a transferred
// Float32Array. Plain JavaScript: a worklet module is loaded by URL, not bundled.
const BLOCKS_PER_MESSAGE = 8;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunk = new Float32Array(128 * BLOCKS_PER_MESSAGE);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    if (this.filled + channel.length > this.chunk.length) this.send();
    this.chunk.set(channel, this.filled);
    this.filled += channel.length;
    if (this.filled === this.chunk.length) this.send();
    return true;
  }

  send() {
    const out = this.chunk.slice(0, this.filled);
    this.port.postMessage(out, [out.buffer]);
    this.filled = 0;
  }
}

registerProcessor('capture', CaptureProcessor);
