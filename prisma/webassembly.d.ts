// @types/node 20 does not declare the WebAssembly global that Node 20 provides; this is the part
// the schema engine loader uses.
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type ModuleImports = Record<string, unknown>;
  interface Instance {
    readonly exports: Exports;
  }
  function instantiate(bytes: Uint8Array, imports: Record<string, ModuleImports>): Promise<{ instance: Instance }>;
}
