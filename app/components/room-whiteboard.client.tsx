// The room's whiteboard: tldraw on the room document's whiteboard map (kept in step by whiteboard-sync.ts),
// with peers' pointers from awareness. Client-only: loaded lazily the first time the Whiteboard tab opens.
import { getAssetUrlsByImport } from "@tldraw/assets/imports.vite";
import { useCallback, useEffect, useState } from "react";
import {
  atom,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultHandleExternalTextContent,
  defaultShapeUtils,
  Tldraw,
  UserRecordType,
  useTldrawCurrentUser,
  type Editor,
  type TLStoreWithStatus,
  type TLUiOverrides,
  type TLUserPreferences,
} from "tldraw";
import "tldraw/tldraw.css";
import type { RoomConnection } from "./room-connection.client.ts";
import { SHARED_SHAPE_TYPES, syncPresence, syncWhiteboard } from "./whiteboard-sync.ts";

// Fonts, icons and translations are bundled by Vite and served by our server: nothing from tldraw's CDN.
const assetUrls = getAssetUrlsByImport();

// The board holds no uploads, embeds or link previews (whiteboard-sync.ts says why): no tools for them.
const overrides: TLUiOverrides = {
  tools(_editor, tools) {
    delete tools.asset;
    delete tools.embed;
    return tools;
  },
  actions(_editor, actions) {
    for (const id of ["insert-embed", "insert-media", "convert-to-embed", "open-embed-link"]) delete actions[id];
    return actions;
  },
};

const reportRejected = (id: string, reason: string) => console.warn(`whiteboard: ignored ${id} from a peer: ${reason}`);

/** Keeps pasted and dropped content on this board and on this host: links become text, files stay out. */
function keepContentLocal(editor: Editor) {
  // A pasted link would otherwise be fetched (from here) to make a preview card.
  editor.registerExternalContentHandler("url", ({ url, point }) => defaultHandleExternalTextContent(editor, { text: url, point }));
  for (const type of ["files", "file-replace", "svg-text", "embed"] as const) editor.registerExternalContentHandler(type, null);
  editor.registerExternalAssetHandler("file", null);
  editor.registerExternalAssetHandler("url", null);
  // Whatever still brings them (a paste from another tldraw board): removed at once, before it is sent.
  const removeShape = editor.sideEffects.registerAfterCreateHandler("shape", (shape, source) => {
    if (source === "user" && !SHARED_SHAPE_TYPES.has(shape.type)) editor.deleteShape(shape.id);
  });
  const removeAsset = editor.sideEffects.registerAfterCreateHandler("asset", (asset, source) => {
    if (source === "user") editor.deleteAssets([asset.id]);
  });
  return () => {
    removeShape();
    removeAsset();
  };
}

interface Props {
  connection: RoomConnection;
  /** tldraw's licence key (TLDRAW_LICENSE_KEY); without one tldraw shows its watermark (README). */
  licenseKey?: string;
  /** Whether the board's tab is showing: only then does this visitor's pointer appear to others. */
  visible: boolean;
}

export default function RoomWhiteboard({ connection, licenseKey, visible }: Props) {
  const { user, readOnly, provider } = connection;
  const [board, setBoard] = useState<TLStoreWithStatus>({ status: "loading" });

  // tldraw's idea of who is here is the room's: same id, name and colour as in the editor and People.
  const [preferences, setPreferences] = useState<TLUserPreferences>({ id: user.id, name: user.name, color: user.color });
  const keepIdentity = useCallback((next: TLUserPreferences) => setPreferences({ ...next, id: user.id, name: user.name, color: user.color }), [user]);
  const tldrawUser = useTldrawCurrentUser({ userPreferences: preferences, setUserPreferences: keepIdentity });

  useEffect(() => {
    const online = atom<"online" | "offline">("connection", provider.wsconnected ? "online" : "offline");
    const store = createTLStore({
      shapeUtils: defaultShapeUtils,
      bindingUtils: defaultBindingUtils,
      users: { currentUser: atom("current user", UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.color })) },
      // Read-only visitors get tldraw's read-only board; the server drops their edits in any case.
      collaboration: { status: online, mode: atom("mode", readOnly ? "readonly" : "readwrite") },
    });
    const onStatus = ({ status }: { status: string }) => online.set(status === "connected" ? "online" : "offline");
    provider.on("status", onStatus);

    // The board opens once the room's document has arrived, so nobody draws on a board still loading.
    let stopSync: (() => void) | undefined;
    const start = (synced: boolean) => {
      if (!synced || stopSync) return;
      provider.off("sync", start);
      stopSync = syncWhiteboard({ store, records: connection.whiteboard, publishChanges: !readOnly, onReject: reportRejected });
      setBoard({ status: "synced-remote", connectionStatus: "online", store });
    };
    provider.on("sync", start);
    start(provider.synced);

    return () => {
      provider.off("sync", start);
      provider.off("status", onStatus);
      stopSync?.();
      setBoard({ status: "loading" });
      store.dispose();
    };
  }, [connection, provider, user, readOnly]);

  useEffect(() => {
    if (!visible || board.status !== "synced-remote") return;
    return syncPresence({ store: board.store, awareness: provider.awareness, onReject: reportRejected });
  }, [visible, board, provider]);

  return (
    <div className="relative h-[32rem] w-full overflow-hidden rounded-md ring-1 ring-slate-200 dark:ring-slate-700" data-testid="whiteboard">
      <Tldraw
        store={board}
        user={tldrawUser}
        licenseKey={licenseKey}
        assetUrls={assetUrls}
        overrides={overrides}
        onMount={keepContentLocal}
        colorScheme="system"
        autoFocus={false}
      />
    </div>
  );
}
