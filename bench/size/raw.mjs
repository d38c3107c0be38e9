// Size entry: raw fetch (what bench/raw.mjs does), as a user's bundle ships it.
export { rawClient } from "../raw.mjs";
