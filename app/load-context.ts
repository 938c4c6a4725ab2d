declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as Express sees it (honours X-Forwarded-For only behind a configured proxy). */
    clientIp: string;
  }
}

export {};
