import type { Highlighted } from "./types.ts";

const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * Marks the words of `text` that a query term matched (`isMatch` decides per lower-cased word), cropping
 * long text to `cropWords` words around the first match.
 */
export function highlightWords(text: string, isMatch: (word: string) => boolean, cropWords?: number): Highlighted {
  const words = [...text.matchAll(WORD)];
  let start = 0;
  let end = text.length;
  if (cropWords && words.length > cropWords) {
    const first = Math.max(0, words.findIndex((w) => isMatch(w[0].toLowerCase())));
    const from = Math.max(0, Math.min(first - Math.floor(cropWords / 3), words.length - cropWords));
    start = words[from].index!;
    const last = words[Math.min(words.length - 1, from + cropWords - 1)];
    end = last.index! + last[0].length;
  }
  const out: Highlighted = [];
  const push = (piece: string, match: boolean) => {
    if (!piece) return;
    const prev = out[out.length - 1];
    if (prev && prev.match === match) prev.text += piece;
    else out.push({ text: piece, match });
  };
  if (start > 0) push("…", false);
  let cursor = start;
  for (const w of words) {
    const at = w.index!;
    if (at < start || at + w[0].length > end) continue;
    push(text.slice(cursor, at), false);
    push(w[0], isMatch(w[0].toLowerCase()));
    cursor = at + w[0].length;
  }
  push(text.slice(cursor, end), false);
  if (end < text.length) push("…", false);
  return out;
}

/** Cuts engine output that wraps matches in `pre`…`post` markers into highlighted runs. */
export function splitMarked(text: string, pre: string, post: string): Highlighted {
  const out: Highlighted = [];
  let rest = text;
  while (rest) {
    const open = rest.indexOf(pre);
    if (open < 0) {
      out.push({ text: rest, match: false });
      break;
    }
    if (open > 0) out.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(post, open + pre.length);
    const inner = rest.slice(open + pre.length, close < 0 ? undefined : close);
    if (inner) out.push({ text: inner, match: true });
    rest = close < 0 ? "" : rest.slice(close + post.length);
  }
  return out;
}
