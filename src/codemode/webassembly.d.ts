/**
 * The part of the WebAssembly JS API that Code Mode uses. Node has it as globals; TypeScript's
 * ES libs do not declare it (only the DOM lib does, which a Node program should not load).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  function compile(bytes: BufferSource): Promise<Module>;
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
}

type BufferSource = ArrayBufferView | ArrayBuffer;
