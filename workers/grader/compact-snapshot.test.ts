import { describe, expect, it } from "vitest";
import { compactSnapshot, restoreHeap, snapshotHeader } from "./compact-snapshot.ts";

const PAGE = 4096;
const HEADER = 128;

/** A snapshot shaped like Pyodide's: a header whose second word is where the heap starts, then the heap. */
function snapshotWith(heapPages: number, fill: (heap: Uint8Array) => void): Uint8Array {
  const snapshot = new Uint8Array(HEADER + heapPages * PAGE);
  const words = new Uint32Array(snapshot.buffer, 0, 4);
  words[0] = 0x0f0e0d0c;
  words[1] = HEADER;
  words[2] = 7;
  snapshot.set(new TextEncoder().encode('{"a":1}'), 16);
  fill(snapshot.subarray(HEADER));
  return snapshot;
}

describe("compact memory snapshots", () => {
  const original = snapshotWith(64, (heap) => {
    heap.fill(1, 0, PAGE * 3); // a run of three pages
    heap[PAGE * 10 + 5] = 9; // one byte makes a whole page
    heap.fill(7, PAGE * 20, PAGE * 22);
    heap[heap.length - 1] = 3; // the last page
  });

  it("keeps only the non-zero pages, in runs", () => {
    const compact = compactSnapshot(original);
    expect(compact.layout).toEqual({ headerLength: HEADER, fullLength: original.length, runs: [0, PAGE * 3, PAGE * 10, PAGE, PAGE * 20, PAGE * 2, PAGE * 63, PAGE] });
    expect(compact.bytes.byteLength).toBe(HEADER + PAGE * 7);
    expect([...snapshotHeader(compact)]).toEqual([...original.subarray(0, HEADER)]);
  });

  const noStack = { end: 0, base: 0 };

  it("restores exactly the heap Pyodide's own restore would, whatever start-up wrote below the break", () => {
    const compact = compactSnapshot(original);
    const heap = new Uint8Array(original.length - HEADER + PAGE * 4); // memory may be larger than the heap
    heap.fill(0xaa, PAGE * 4, PAGE * 6);
    heap[PAGE * 12] = 0xbb;
    restoreHeap(heap, compact, { untouchedFrom: PAGE * 16, stack: noStack });
    expect(Buffer.compare(heap.subarray(0, original.length - HEADER), original.subarray(HEADER))).toBe(0);
  });

  it("copies the snapshot's runs into the stack but leaves its dead space as start-up left it", () => {
    const compact = compactSnapshot(original);
    const heap = new Uint8Array(original.length - HEADER);
    heap.fill(0xaa, PAGE * 4, PAGE * 6); // below the stack: cleared
    heap.fill(0xcc, PAGE * 12, PAGE * 13); // in the stack [8, 24): left
    restoreHeap(heap, compact, { untouchedFrom: PAGE * 32, stack: { end: PAGE * 8, base: PAGE * 24 } });
    const expected = original.slice(HEADER);
    expected.fill(0xcc, PAGE * 12, PAGE * 13);
    expect(Buffer.compare(heap, expected)).toBe(0);
    expect(heap[PAGE * 20]).toBe(7); // a run inside the stack is still copied
  });

  it("refuses a layout that does not fit its bytes or the memory", () => {
    const compact = compactSnapshot(original);
    const small = new Uint8Array(PAGE * 8);
    expect(() => restoreHeap(small, compact, { untouchedFrom: 0, stack: noStack })).toThrow(/smaller than the snapshot/);
    const broken = { ...compact, layout: { ...compact.layout, runs: [...compact.layout.runs, PAGE * 40, PAGE] } };
    expect(() => restoreHeap(new Uint8Array(original.length), broken, { untouchedFrom: 0, stack: noStack })).toThrow(/does not match/);
  });

  it("refuses a snapshot without a header", () => {
    expect(() => compactSnapshot(new Uint8Array(64))).toThrow(/no valid header/);
  });
});
