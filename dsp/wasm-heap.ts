/**
 * A first-fit allocator over the Wasm module's linear memory, run from JS. The module itself has
 * no allocator (stub runtime, nothing allocated in AssemblyScript): every stream's state, every
 * shared filter table and the staging buffers are blocks handed out here, so one instance serves
 * all streams and streams at the same rate share one coefficient table.
 */
const ALIGN = 16;
const PAGE = 65536;

export class WasmHeap {
  private readonly memory: WebAssembly.Memory;
  /** Free blocks, sorted by address, never adjacent (coalesced on release). */
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    const start = (base + ALIGN - 1) & ~(ALIGN - 1);
    const end = memory.buffer.byteLength;
    if (end > start) {
      this.starts.push(start);
      this.sizes.push(end - start);
    }
  }

  /** A block of at least `bytes` bytes, 16-byte aligned; grows the memory when nothing fits. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, (bytes + ALIGN - 1) & ~(ALIGN - 1));
    for (let i = 0; i < this.starts.length; i++) {
      const free = this.sizes[i] as number;
      if (free >= size) {
        const ptr = this.starts[i] as number;
        if (free === size) {
          this.starts.splice(i, 1);
          this.sizes.splice(i, 1);
        } else {
          this.starts[i] = ptr + size;
          this.sizes[i] = free - size;
        }
        return ptr;
      }
    }
    const end = this.memory.buffer.byteLength;
    const last = this.starts.length - 1;
    const tailFree = last >= 0 && (this.starts[last] as number) + (this.sizes[last] as number) === end ? (this.sizes[last] as number) : 0;
    // Grow by at least a quarter of the memory, so that many small allocations grow it rarely.
    const pages = Math.max(Math.ceil((size - tailFree) / PAGE), end >>> 18, 1);
    this.memory.grow(pages);
    this.release(end, pages * PAGE);
    return this.alloc(bytes);
  }

  release(ptr: number, bytes: number): void {
    const size = Math.max(ALIGN, (bytes + ALIGN - 1) & ~(ALIGN - 1));
    let i = 0;
    while (i < this.starts.length && (this.starts[i] as number) < ptr) i++;
    this.starts.splice(i, 0, ptr);
    this.sizes.splice(i, 0, size);
    // Merge with the next block, then with the previous one.
    if (i + 1 < this.starts.length && ptr + size === this.starts[i + 1]) {
      this.sizes[i] = size + (this.sizes[i + 1] as number);
      this.starts.splice(i + 1, 1);
      this.sizes.splice(i + 1, 1);
    }
    if (i > 0 && (this.starts[i - 1] as number) + (this.sizes[i - 1] as number) === ptr) {
      this.sizes[i - 1] = (this.sizes[i - 1] as number) + (this.sizes[i] as number);
      this.starts.splice(i, 1);
      this.sizes.splice(i, 1);
    }
  }

  /** Free bytes (for tests). */
  freeBytes(): number {
    let n = 0;
    for (const s of this.sizes) n += s;
    return n;
  }
}
