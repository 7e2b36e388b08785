// A `.wasm` file imported as a module: Cloudflare Workers (Wrangler's CompiledWasm rule) and
// miniflare hand over a compiled `WebAssembly.Module`, never bytes (they forbid compiling bytes).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
