// Size entry: the plain-JS baseline client, as a user's bundle ships it.
export { BaselineClient } from "../baseline.mjs";
