// Start-up of the package: ESM import of the Node entry + construct; prints ms since the
// process began.
import { EncoreClient } from "../../pkg/index.node.js";

new EncoreClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
console.log(performance.now());
