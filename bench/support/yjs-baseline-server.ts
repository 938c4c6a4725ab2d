// The baseline for the collaboration benchmark: a bare @y/websocket-server (no auth, no persistence, no
// limits) on the same URL shape as ours (/collab/<room>). Prints "ready" when listening.
import { createServer } from "node:http";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";

const port = Number(process.env.PORT);
const http = createServer();
const wss = new WebSocketServer({ noServer: true });
http.on("upgrade", (req, socket, head) => {
  const docName = new URL(req.url ?? "/", "http://localhost").pathname.split("/").pop() ?? "";
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName, gc: true }));
});
http.listen(port, "127.0.0.1", () => console.log("ready"));
