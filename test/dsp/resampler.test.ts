// Resampler behaviour: chunk invariance, exact output counts (no drift), flush/reset, non-finite
// input, stereo downmix, errors, latency at every common rate, and the Wasm and TypeScript
// backends agreeing within 1e-6. Quality figures are in dsp-quality.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DspError, Resampler, dspBackend, initDsp } from '../../dist/dsp/index.js';
import type { Quality } from '../../dist/dsp/index.js';

type Backend = 'wasm' | 'js';
const BACKENDS: Backend[] = dspBackend() === 'wasm-simd' ? ['wasm', 'js'] : ['js'];
if (BACKENDS.length === 1)
  console.log('note: WebAssembly SIMD unavailable here; only the TypeScript backend is tested');

function using<T>(backend: Backend, fn: () => T): T {
  initDsp({ backend: backend === 'js' ? 'js' : 'auto' });
  try {
    return fn();
  } finally {
    initDsp({ backend: 'auto' });
  }
}

let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
}

/** A tone plus white noise: every frequency present, so any state or phase error shows. */
function signal(rate: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 997 * i) / rate) + 0.3 * (random() - 0.5);
  return x;
}

function concat(parts: Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

/** Feeds x in chunks of the given sizes (cycled; 0 means random 1..5000) and flushes. */
function chunked(r: Resampler, x: Float32Array, sizes: number[], channels = 1): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0, c = 0; i < x.length; c++) {
    const size = (sizes[c % sizes.length] as number) || 1 + Math.floor(random() * 5000);
    const end = Math.min(x.length, i + size * channels);
    parts.push(r.process(x.subarray(i, end)));
    i = end;
  }
  parts.push(r.flush());
  return concat(parts);
}

function identical(a: Float32Array, b: Float32Array, what: string): void {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) assert.unreachable(`${what}: sample ${i} ${a[i]} != ${b[i]}`);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

// 44101 -> 16000 has L = 16000 and uses the interpolated table; 8000 -> 16000 upsamples.
const PAIRS: [number, number][] = [
  [48000, 16000],
  [44100, 16000],
  [22050, 8000],
  [8000, 16000],
  [44101, 16000],
  [16000, 16000],
];

const chunks = suite('chunk invariance');
for (const backend of BACKENDS) {
  for (const [from, to] of PAIRS) {
    chunks(`${backend} ${from} -> ${to}: chunks of 1, 7, 160, 960, 4096 and random equal one call`, () =>
      using(backend, () => {
        const x = signal(from, backend === 'js' ? 0.12 : 0.3);
        const whole = chunked(new Resampler({ from, to }), x, [x.length]);
        const expected = Math.ceil(((x.length + new Resampler({ from, to }).latency * from) * to) / from);
        assert.ok(Math.abs(whole.length - expected) <= 1, `flushed length ${whole.length} vs ${expected}`);
        for (const sizes of [[1], [7], [160], [960], [4096], [0], [1, 4095, 3, 960]]) {
          identical(chunked(new Resampler({ from, to }), x, sizes), whole, `chunks ${sizes.join(',')}`);
        }
      }),
    );
  }
}
chunks.run();

const agree = suite('Wasm and TypeScript backends agree');
if (BACKENDS.length === 2) {
  for (const [from, to] of PAIRS) {
    for (const quality of ['high', 'fast'] as Quality[]) {
      agree(`${from} -> ${to} ${quality}: within 1e-6, same length`, () => {
        const x = signal(from, 0.15);
        const a = using('wasm', () => chunked(new Resampler({ from, to, quality }), x, [from / 50]));
        const b = using('js', () => chunked(new Resampler({ from, to, quality }), x, [from / 50]));
        assert.is(a.length, b.length);
        const d = maxDiff(a, b);
        assert.ok(d <= 1e-6, `max difference ${d}`);
      });
    }
  }
  agree('stereo input: within 1e-6', () => {
    const x = signal(48000, 0.1);
    const a = using('wasm', () => chunked(new Resampler({ from: 48000, to: 16000, channels: 2 }), x, [960]));
    const b = using('js', () => chunked(new Resampler({ from: 48000, to: 16000, channels: 2 }), x, [960]));
    assert.ok(maxDiff(a, b) <= 1e-6);
  });
} else {
  agree('skipped', () => console.log('skip: no WebAssembly SIMD, nothing to cross-check'));
}
agree.run();

const counts = suite('output counts');
counts('44.1k -> 16k for 10 minutes: after every chunk exactly ceil(in * 160 / 441) samples out, no drift', () => {
  const r = new Resampler({ from: 44100, to: 16000 });
  const block = signal(44100, 0.1);
  let fed = 0;
  let out = 0;
  let worst = 0;
  const total = 44100 * 600;
  for (let c = 0; fed < total; c++) {
    const size = c % 3 === 2 ? 1 + Math.floor(random() * 4000) : 882;
    const n = Math.min(size, total - fed, block.length);
    out += r.process(block.subarray(0, n)).length;
    fed += n;
    worst = Math.max(worst, Math.abs(Math.ceil((fed * 160) / 441) - out));
  }
  assert.is(worst, 0, `largest deviation from the exact count: ${worst}`);
  assert.is(fed, total);
  assert.is(out, Math.ceil((total * 160) / 441));
});
counts('every rate from 8000 to 192000 in steps of 1000, plus 11025/22050/44100/88200/176400: counts exact', () => {
  const rates = [11025, 22050, 44100, 88200, 176400];
  for (let f = 8000; f <= 192000; f += 1000) rates.push(f);
  for (const from of rates) {
    for (const to of [8000, 16000]) {
      const r = new Resampler({ from, to, quality: 'fast' });
      const x = new Float32Array(Math.round(from / 50));
      let out = 0;
      for (let c = 1; c <= 3; c++) {
        out += r.process(x).length;
        const want = Math.ceil((c * x.length * to) / from);
        if (out !== want) assert.unreachable(`${from} -> ${to}: ${out} after ${c} chunks, want ${want}`);
      }
      r.dispose();
    }
  }
});
counts.run();

const life = suite('flush, reset, dispose');
for (const backend of BACKENDS) {
  life(`${backend}: flush returns the tail and resets; reset forgets`, () =>
    using(backend, () => {
      const x = signal(48000, 0.05);
      const fresh = chunked(new Resampler({ from: 48000, to: 16000 }), x, [x.length]);
      const r = new Resampler({ from: 48000, to: 16000 });
      chunked(r, signal(48000, 0.03), [480]); // includes a flush
      identical(chunked(r, x, [x.length]), fresh, 'after flush');
      r.process(signal(48000, 0.02));
      r.reset();
      identical(chunked(r, x, [x.length]), fresh, 'after reset');
      assert.is(r.flush().length, 0, 'flush of an empty stream');
      r.process(new Float32Array(0));
      assert.is(r.flush().length, 0, 'flush after empty chunks only');
      // The tail is the filter's delay: ceil((n + delay) * L / M) samples in all.
      const head = r.process(x).length;
      const tail = r.flush().length;
      assert.is(head + tail, Math.ceil(((x.length + r.latency * 48000) * 16000) / 48000));
      r.dispose();
      try {
        r.process(x);
        assert.unreachable('process after dispose');
      } catch (err) {
        assert.instance(err, DspError);
        assert.is((err as DspError).code, 'DISPOSED');
      }
    }),
  );
}
life.run();

const hostile = suite('non-finite input');
for (const backend of BACKENDS) {
  hostile(`${backend}: NaN -> 0 and +-Infinity -> +-1 before filtering; later chunks untouched`, () =>
    using(backend, () => {
      const x = signal(48000, 0.2);
      const bad = x.slice();
      const clean = x.slice();
      for (const [i, v, c] of [
        [1000, NaN, 0],
        [1001, Infinity, 1],
        [1500, -Infinity, -1],
        [2900, NaN, 0],
      ] as const) {
        bad[i] = v;
        clean[i] = c;
      }
      const a = chunked(new Resampler({ from: 48000, to: 16000 }), bad, [960]);
      const b = chunked(new Resampler({ from: 48000, to: 16000 }), clean, [960]);
      identical(a, b, 'sanitised input');
      for (const v of a) if (!Number.isFinite(v)) assert.unreachable('non-finite output');
      // Stereo: Infinity + -Infinity must not become NaN in the downmix.
      const s = new Float32Array(960 * 2);
      s[10] = Infinity;
      s[11] = -Infinity;
      s[12] = NaN;
      const st = new Resampler({ from: 48000, to: 16000, channels: 2 });
      for (const v of st.process(s)) if (!Number.isFinite(v)) assert.unreachable('non-finite stereo output');
      const after = st.process(new Float32Array(960 * 2).fill(0.25));
      assert.ok(after.every((v) => Number.isFinite(v)));
    }),
  );
}
hostile.run();

const shape = suite('channels, identity, upsampling');
for (const backend of BACKENDS) {
  shape(`${backend}: stereo with equal channels equals mono; opposite channels cancel`, () =>
    using(backend, () => {
      const x = signal(44100, 0.1);
      const same = new Float32Array(2 * x.length);
      const opposite = new Float32Array(2 * x.length);
      for (let i = 0; i < x.length; i++) {
        same[2 * i] = same[2 * i + 1] = x[i] as number;
        opposite[2 * i] = x[i] as number;
        opposite[2 * i + 1] = -(x[i] as number);
      }
      const mono = chunked(new Resampler({ from: 44100, to: 16000 }), x, [882]);
      identical(
        chunked(new Resampler({ from: 44100, to: 16000, channels: 2 }), same, [882], 2),
        mono,
        'equal channels',
      );
      const silent = chunked(new Resampler({ from: 44100, to: 16000, channels: 2 }), opposite, [882], 2);
      assert.ok(silent.every((v) => v === 0));
    }),
  );
  shape(`${backend}: from == to passes samples through unchanged, latency 0`, () =>
    using(backend, () => {
      const x = signal(16000, 0.1);
      const r = new Resampler({ from: 16000, to: 16000 });
      assert.is(r.latency, 0);
      identical(chunked(r, x, [320]), x, 'identity');
    }),
  );
}
shape('upsampling 8k -> 16k and 11025 -> 16k: a 1 kHz tone comes out with its level, no images', () => {
  for (const from of [8000, 11025, 12000]) {
    const n = from / 2;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.891 * Math.sin((2 * Math.PI * 1000 * i) / from);
    const y = new Resampler({ from, to: 16000 }).process(x);
    // Least-squares amplitude and residual over the settled part.
    let c = 0;
    let s = 0;
    const start = 1600;
    const end = start + 6000; // whole cycles, so cos and sin are orthogonal over the window
    for (let k = start; k < end; k++) {
      const w = (2 * Math.PI * 1000 * k) / 16000;
      c += (y[k] as number) * Math.cos(w);
      s += (y[k] as number) * Math.sin(w);
    }
    c /= (end - start) / 2;
    s /= (end - start) / 2;
    let res = 0;
    let sig = 0;
    for (let k = start; k < end; k++) {
      const w = (2 * Math.PI * 1000 * k) / 16000;
      const e = c * Math.cos(w) + s * Math.sin(w);
      res += ((y[k] as number) - e) ** 2;
      sig += e * e;
    }
    const gain = 20 * Math.log10(Math.hypot(c, s) / 0.891);
    const snr = 10 * Math.log10(sig / res);
    assert.ok(Math.abs(gain) < 0.01, `${from}: gain ${gain}`);
    assert.ok(snr > 110, `${from}: SNR ${snr}`);
  }
});
shape.run();

const delay = suite('latency');
delay("'high' latency <= 10 ms at every common rate to 8 and 16 kHz", () => {
  for (const from of [
    8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000, 44101,
  ]) {
    for (const to of [8000, 16000]) {
      const r = new Resampler({ from, to });
      assert.ok(r.latency <= 0.01, `${from} -> ${to}: ${r.latency * 1000} ms`);
      r.dispose();
    }
  }
});
delay.run();

const errors = suite('errors');
function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DspError);
    assert.ok((err as DspError).message.length > 10);
    return (err as DspError).code;
  }
  return 'no error';
}
errors('bad rates, channels, quality and input are typed DspErrors', () => {
  for (const from of [7999, 192001, 44100.5, Number.NaN, '48000', undefined]) {
    assert.is(
      code(() => new Resampler({ from: from as number, to: 16000 })),
      'BAD_RATE',
      String(from),
    );
  }
  assert.is(
    code(() => new Resampler({ from: 48000, to: 4000 })),
    'BAD_RATE',
  );
  assert.is(
    code(() => new Resampler({ from: 48000, to: 16000, channels: 3 as 1 })),
    'BAD_CHANNELS',
  );
  assert.is(
    code(() => new Resampler({ from: 48000, to: 16000, quality: 'best' as 'high' })),
    'BAD_QUALITY',
  );
  assert.is(
    code(() => new Resampler(null as unknown as { from: number; to: number })),
    'BAD_RATE',
  );
  const r = new Resampler({ from: 48000, to: 16000, channels: 2 });
  assert.is(
    code(() => r.process(new Float32Array(3))),
    'PARTIAL_FRAME',
  );
  assert.is(
    code(() => r.process(new Int16Array(4) as unknown as Float32Array)),
    'BAD_INPUT',
  );
  assert.is(r.process(new Float32Array(0)).length, 0);
});
errors.run();
