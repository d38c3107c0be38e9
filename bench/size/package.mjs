// Size entry: the package by its name, resolved as a bundler does (package.json "exports",
// browser condition); scripts/size.sh links node_modules/encore-cloud to pkg/.
export { EncoreClient } from "encore-cloud";
