// The few Node names the simulator's server.js and bin use, for a check project without
// @types/node. Loose on purpose: the declared surface (index.d.ts) needs no Node types.
declare module "node:http" {
  export const createServer: any;
  export type Server = any;
  export type IncomingMessage = any;
  export type ServerResponse = any;
}
declare const Buffer: any;
declare const process: any;
