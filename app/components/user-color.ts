/** A stable, readable colour per user: the same everywhere they appear (cursor, label, presence). */
export function userColor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 70% 40%)`;
}
