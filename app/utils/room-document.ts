// What a room's Yjs document holds, by name. The browser's editor and whiteboard and the server's
// collaboration endpoint all open the same document, so they read these names from here.

/** The room's code: a Y.Text. */
export const CODE_TEXT = "code";

/** The room's whiteboard: a Y.Map from tldraw record id to the record (document records only). */
export const WHITEBOARD_RECORDS = "whiteboard";
