// @ts-check
// `encore-cloud/simulator` in Node: the in-page simulator plus its HTTP server.
export * from "./index.js";
export { startSimulatorServer, createNodeListener } from "./server.js";
