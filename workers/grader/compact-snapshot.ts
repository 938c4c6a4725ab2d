// A Pyodide memory snapshot without its zero pages. Pyodide restores a snapshot by copying the whole
// WebAssembly heap (30 MB here) into a fresh memory, and the grader copies it once more for every worker;
// half of those pages are zeros, which a fresh memory already holds. Dropping them saves each fresh
// interpreter ~16 MB of copying and page faults, and the memory it would never have used.
//
// Layout: Pyodide's own header (magic, build id, serialized JavaScript state) followed by the heap's
// non-zero runs back to back; `runs` holds [heapOffset, length] of each run, in order.
import { z } from "zod";

const PAGE_BYTES = 4096;
/** Zero regions are checked this much at a time (a page at a time would make thousands of Buffer views). */
const CLEAR_CHUNK_BYTES = 64 * 1024;
/** Pyodide's snapshot header: four 32-bit words, the second of which is where the heap starts. */
const HEAP_OFFSET_WORD = 1;

export const SnapshotLayout = z.object({
  headerLength: z.number().int().positive(),
  /** The length of the whole snapshot Pyodide made: it sizes the new interpreter's initial memory. */
  fullLength: z.number().int().positive(),
  runs: z.array(z.number().int().nonnegative()),
});
export type SnapshotLayout = z.infer<typeof SnapshotLayout>;
export type CompactSnapshot = { bytes: ArrayBuffer; layout: SnapshotLayout };

const zeros = new Uint8Array(CLEAR_CHUNK_BYTES);

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).equals(zeros.subarray(0, end - start));
}

export function compactSnapshot(snapshot: Uint8Array): CompactSnapshot {
  const headerLength = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 4)[HEAP_OFFSET_WORD];
  if (headerLength <= 0 || headerLength % 4 !== 0 || headerLength > snapshot.length) throw new Error("the memory snapshot has no valid header");
  const heap = snapshot.subarray(headerLength);
  const runs: number[] = [];
  let kept = 0;
  for (let page = 0; page < heap.length; page += PAGE_BYTES) {
    const end = Math.min(page + PAGE_BYTES, heap.length);
    if (isZero(heap, page, end)) continue;
    const last = runs.length - 2;
    if (last >= 0 && runs[last] + runs[last + 1] === page) runs[last + 1] += end - page;
    else runs.push(page, end - page);
    kept += end - page;
  }
  const bytes = new Uint8Array(headerLength + kept);
  bytes.set(snapshot.subarray(0, headerLength));
  let at = headerLength;
  for (let i = 0; i < runs.length; i += 2) {
    bytes.set(heap.subarray(runs[i], runs[i] + runs[i + 1]), at);
    at += runs[i + 1];
  }
  return { bytes: bytes.buffer, layout: { headerLength, fullLength: snapshot.length, runs } };
}

/** Pyodide's header alone: a snapshot with an empty heap, restored after `restoreHeap` filled the memory. */
export function snapshotHeader(compact: CompactSnapshot): Uint8Array {
  return new Uint8Array(compact.bytes, 0, compact.layout.headerLength);
}

/** Zeroes what is not zero in [start, end) of the heap (what ran before the restore may have written there). */
function clear(heap: Uint8Array, start: number, end: number): void {
  for (let chunk = start; chunk < end; chunk += CLEAR_CHUNK_BYTES) {
    const chunkEnd = Math.min(chunk + CLEAR_CHUNK_BYTES, end);
    // Reading pages nobody wrote maps the kernel's zero page; only written ones need zeroing.
    if (!isZero(heap, chunk, chunkEnd)) heap.fill(0, chunk, chunkEnd);
  }
}

/** Where a fresh interpreter's start-up may have written before the restore, as Emscripten lays memory out. */
export type StartupWrites = {
  /** The break: nothing at or above it was written (a new memory is all zeros). */
  untouchedFrom: number;
  /**
   * The stack [end, base). No WebAssembly runs while Pyodide restores (the stack pointer, a global, is back
   * at the base, as it was when the snapshot was taken), so everything in it is dead space, in the snapshot
   * and in the new memory alike: what start-up left there need not be cleared.
   */
  stack: { end: number; base: number };
};

/** [start, end) minus the stack. */
function clearOutsideStack(heap: Uint8Array, start: number, end: number, { untouchedFrom, stack }: StartupWrites): void {
  const limit = Math.min(end, untouchedFrom);
  clear(heap, start, Math.min(limit, stack.end));
  clear(heap, Math.max(start, stack.base), limit);
}

/**
 * Makes the heap what Pyodide's own restore would: the snapshot's runs copied, everything else zero, but
 * for dead stack space. Only zero regions start-up may have written are checked.
 */
export function restoreHeap(heap: Uint8Array, compact: CompactSnapshot, startup: StartupWrites): void {
  const { headerLength, fullLength, runs } = compact.layout;
  const heapLength = fullLength - headerLength;
  if (heap.length < heapLength) throw new Error("the interpreter's memory is smaller than the snapshot");
  const bytes = new Uint8Array(compact.bytes);
  let from = headerLength;
  let at = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const [start, length] = [runs[i], runs[i + 1]];
    if (start < at || start + length > heapLength || from + length > bytes.length) throw new Error("the memory snapshot's layout does not match its bytes");
    clearOutsideStack(heap, at, start, startup);
    heap.set(bytes.subarray(from, from + length), start);
    from += length;
    at = start + length;
  }
  clearOutsideStack(heap, at, heapLength, startup);
}
