// PcmPipeline, the fused audio path: any input type, rate and channel count -> Int16 LE mono bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DspError, PcmPipeline, Resampler, dspBackend, floatToInt16, initDsp } from '../../dist/dsp/index.js';
import { thrownCode } from '../helpers/thrown-code.ts';

const BACKENDS: ('auto' | 'js')[] = dspBackend() === 'wasm-simd' ? ['auto', 'js'] : ['js'];

let seed = 4242;
const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;

function signal(rate: number, seconds: number, channels = 1): Float32Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++)
      x[i * channels + c] = 0.6 * Math.sin((2 * Math.PI * (1000 + 300 * c) * i) / rate) + 0.2 * (random() - 0.5);
  }
  return x;
}

function bytesOf(i16: Int16Array): Uint8Array {
  const b = new Uint8Array(i16.length * 2);
  for (let i = 0; i < i16.length; i++) {
    b[2 * i] = (i16[i] as number) & 0xff;
    b[2 * i + 1] = ((i16[i] as number) >> 8) & 0xff;
  }
  return b;
}

/** Feeds chunks of the given sizes (in elements), collects copies of the output, flushes. */
function collect(p: PcmPipeline, x: Float32Array | Int16Array | Uint8Array, sizes: number[]): Uint8Array {
  const parts: number[] = [];
  for (let i = 0, c = 0; i < x.length; c++) {
    const end = Math.min(x.length, i + (sizes[c % sizes.length] as number));
    for (const b of p.process(x.subarray(i, end))) parts.push(b);
    i = end;
  }
  for (const b of p.flush()) parts.push(b);
  return Uint8Array.from(parts);
}

for (const backend of BACKENDS) {
  test(`${backend}: Float32 in equals Resampler + floatToInt16 exactly (one rounding, same value)`, () => {
    initDsp({ backend });
    for (const [from, to, channels] of [
      [48000, 16000, 2],
      [44100, 16000, 1],
      [24000, 8000, 1],
      [16000, 16000, 2],
    ] as const) {
      const x = signal(from, 0.2, channels);
      const viaResampler = [...new Resampler({ from, to, channels }).process(x)];
      const want = bytesOf(floatToInt16(Float32Array.from(viaResampler)));
      const got = new PcmPipeline({ from, to, channels }).process(x);
      assert.equal(got, want, `${from} -> ${to} x${channels}`);
    }
    initDsp({ backend: 'auto' });
  });

  test(`${backend}: Int16, Int16 LE bytes split at any byte, and stereo carries give the same bytes`, () => {
    initDsp({ backend });
    for (const channels of [1, 2] as const) {
      const i16 = floatToInt16(signal(44100, 0.1, channels));
      const bytes = bytesOf(i16);
      const whole = collect(new PcmPipeline({ from: 44100, to: 16000, channels }), i16, [i16.length]);
      assert.ok(whole.length > 3000);
      assert.equal(
        collect(new PcmPipeline({ from: 44100, to: 16000, channels }), bytes, [bytes.length]),
        whole,
        'bytes',
      );
      for (const sizes of [[1], [3], [7, 2, 5], [881], [1763, 1]]) {
        assert.equal(
          collect(new PcmPipeline({ from: 44100, to: 16000, channels }), bytes, sizes),
          whole,
          `byte chunks ${sizes}`,
        );
      }
      // A misaligned view (odd byteOffset) of the same bytes.
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      assert.equal(
        collect(new PcmPipeline({ from: 44100, to: 16000, channels }), shifted.subarray(1), [960]),
        whole,
        'odd offset',
      );
    }
    initDsp({ backend: 'auto' });
  });

  test(`${backend}: out buffers, processInto, maxOutputBytes`, () => {
    initDsp({ backend });
    const p = new PcmPipeline({ from: 48000, to: 16000 });
    const q = new PcmPipeline({ from: 48000, to: 16000 });
    const x = signal(48000, 0.02);
    const out = new Uint8Array(p.maxOutputBytes(960));
    assert.ok(out.length >= 640);
    const a = p.process(x, out);
    assert.is(a.buffer, out.buffer);
    const view = q.process(x);
    assert.equal(a, view);
    const frame = new Uint8Array(2000).fill(9);
    const n = p.processInto(x, frame, 100);
    assert.is(n, 640);
    assert.equal(frame.subarray(100, 740), q.process(x));
    assert.is(frame[99], 9);
    assert.is(frame[740], 9);
    try {
      p.process(x, new Uint8Array(10));
      assert.unreachable('short out');
    } catch (err) {
      assert.instance(err, DspError);
      assert.is((err as DspError).code, 'OUTPUT_TOO_SMALL');
    }
    // The bound holds for every chunk size and phase.
    const r = new PcmPipeline({ from: 44100, to: 16000 });
    for (let i = 0; i < 300; i++) {
      const frames = 1 + Math.floor(random() * 3000);
      assert.ok(r.process(new Float32Array(frames)).length <= r.maxOutputBytes(frames));
    }
    initDsp({ backend: 'auto' });
  });
}

/** Element-wise equality that names the first difference (uvu's diff of 100k elements is too slow). */
function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) assert.unreachable(`${what}: element ${i} ${a[i]} != ${b[i]}`);
}

for (const backend of BACKENDS) {
  test(`${backend}: one call longer than the staging block (150001 frames) equals 20 ms chunks`, () => {
    initDsp({ backend });
    for (const [from, to, channels] of [
      [48000, 16000, 2],
      [44100, 16000, 1],
      [16000, 16000, 2],
      [8000, 16000, 1],
    ] as const) {
      const x = new Float32Array(150001 * channels);
      for (let i = 0; i < x.length; i++) x[i] = 0.7 * Math.sin(i * 0.013) + 0.1 * Math.sin(i * 1.7);
      const chunk = (from / 50) * channels;
      const one = new Resampler({ from, to, channels });
      const whole = [...one.process(x), ...one.flush()];
      const r = new Resampler({ from, to, channels });
      const parts: number[] = [];
      for (let i = 0; i < x.length; i += chunk) parts.push(...r.process(x.subarray(i, i + chunk)));
      parts.push(...r.flush());
      same(whole, parts, `Resampler ${from} -> ${to} x${channels}`);
      const bytes = collect(new PcmPipeline({ from, to, channels }), x, [x.length]);
      same(
        collect(new PcmPipeline({ from, to, channels }), x, [chunk]),
        bytes,
        `PcmPipeline ${from} -> ${to} x${channels}`,
      );
      assert.is(bytes.length, 2 * whole.length, 'as many samples as the Resampler gives');
    }
    initDsp({ backend: 'auto' });
  });

  test(`${backend}: same rate Int16 -> Int16 LE bytes is the identity (mono), the rounded mean (stereo)`, () => {
    initDsp({ backend });
    const i16 = new Int16Array(1001);
    for (let i = 0; i < i16.length; i++) i16[i] = Math.round((random() - 0.5) * 65535);
    i16[0] = -32768;
    i16[1] = 32767;
    assert.equal(new PcmPipeline({ from: 16000, to: 16000 }).process(i16), bytesOf(i16));
    assert.equal(new PcmPipeline({ from: 16000, to: 16000 }).process(bytesOf(i16)), bytesOf(i16), 'bytes in');
    const mean = new Int16Array(500);
    for (let i = 0; i < 500; i++) {
      const m = ((i16[2 * i] as number) + (i16[2 * i + 1] as number)) / 2;
      mean[i] = Math.floor(m) === m || Math.floor(m) % 2 === 0 ? Math.floor(m) : Math.ceil(m); // half to even
    }
    assert.equal(
      new PcmPipeline({ from: 16000, to: 16000, channels: 2 }).process(i16.subarray(0, 1000)),
      bytesOf(mean),
      'stereo',
    );
    initDsp({ backend: 'auto' });
  });
}

if (BACKENDS.length === 2) {
  test('Wasm and TypeScript bytes agree within 1 LSB', () => {
    for (const [from, channels] of [
      [48000, 2],
      [44100, 1],
      [22050, 2],
    ] as const) {
      const x = signal(from, 0.2, channels);
      const a = new Int16Array(new PcmPipeline({ from, to: 16000, channels }).process(x).slice().buffer);
      initDsp({ backend: 'js' });
      const b = new Int16Array(new PcmPipeline({ from, to: 16000, channels }).process(x).slice().buffer);
      initDsp({ backend: 'auto' });
      assert.is(a.length, b.length);
      for (let i = 0; i < a.length; i++)
        if (Math.abs((a[i] as number) - (b[i] as number)) > 1) assert.unreachable(`sample ${i}`);
    }
  });
}

test('48 kHz Float32 stereo -> 16 kHz mono Int16 LE: the 1 kHz tone arrives intact', () => {
  const from = 48000;
  const n = from / 2;
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) x[2 * i] = x[2 * i + 1] = 0.891 * Math.sin((2 * Math.PI * 1000 * i) / from);
  const p = new PcmPipeline({ from, to: 16000, channels: 2 });
  const out: number[] = [];
  for (let i = 0; i < x.length; i += 1920) {
    const b = p.process(x.subarray(i, i + 1920));
    for (let k = 0; k < b.length; k += 2) out.push((((b[k] as number) | ((b[k + 1] as number) << 8)) << 16) >> 16);
  }
  assert.is(out.length, 8000);
  let c = 0;
  let s = 0;
  const [start, len] = [1600, 6000]; // whole cycles of 1 kHz at 16 kHz
  for (let k = start; k < start + len; k++) {
    c += (out[k] as number) * Math.cos((2 * Math.PI * k) / 16);
    s += (out[k] as number) * Math.sin((2 * Math.PI * k) / 16);
  }
  const amp = (Math.hypot(c, s) * 2) / len / 32768;
  let res = 0;
  for (let k = start; k < start + len; k++) {
    const e = ((2 * c) / len) * Math.cos((2 * Math.PI * k) / 16) + ((2 * s) / len) * Math.sin((2 * Math.PI * k) / 16);
    res += ((out[k] as number) - e) ** 2;
  }
  const snr = 10 * Math.log10((((amp * 32768) ** 2 / 2) * len) / res);
  assert.ok(Math.abs(20 * Math.log10(amp / 0.891)) < 0.01, `level ${amp}`);
  assert.ok(snr > 95, `SNR ${snr} dB`);
});

test('errors: bad input types, partial stereo frames of typed arrays, dispose', () => {
  const p = new PcmPipeline({ from: 48000, to: 16000, channels: 2 });
  const code = (fn: () => unknown): string => thrownCode(fn, DspError);
  assert.is(
    code(() => p.process([1, 2] as unknown as Float32Array)),
    'BAD_INPUT',
  );
  assert.is(
    code(() => p.process(new Float64Array(4) as unknown as Float32Array)),
    'BAD_INPUT',
  );
  assert.is(
    code(() => p.process(new Int16Array(3))),
    'PARTIAL_FRAME',
  );
  assert.is(p.process(new Uint8Array(3)).length, 0, 'bytes are carried, not rejected');
  assert.is(p.flush().length, 0, 'nothing was fed; the carried partial frame is dropped');
  p.dispose();
  assert.is(
    code(() => p.process(new Int16Array(2))),
    'DISPOSED',
  );
  assert.is(
    code(() => new PcmPipeline({ from: 48000, to: 16000, channels: 0 as 1 })),
    'BAD_CHANNELS',
  );
});

test.run();
