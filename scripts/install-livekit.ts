// `npm run livekit:install`: builds livekit-server (pinned) into the per-user cache when it is missing, so that
// `npm start` runs a local voice server. `npm test` does the same by itself.
import { ensureLivekitServer, LIVEKIT_VERSION } from "./services/livekit.ts";

const binary = ensureLivekitServer();
console.log(`livekit-server ${LIVEKIT_VERSION}: ${binary}`);
