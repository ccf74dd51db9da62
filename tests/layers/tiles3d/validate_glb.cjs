// Validate glTF binaries with Khronos' glTF-Validator (npm gltf-validator, validateBytes).
// usage: node validate_glb.cjs NODE_MODULES FILE...
// prints one JSON line per file: {"file", "errors", "warnings", "infos", "messages": [first 20 issues]}
const fs = require("fs");
const path = require("path");
const validator = require(path.join(process.argv[2], "gltf-validator"));

async function main() {
  for (const file of process.argv.slice(3)) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const report = await validator.validateBytes(bytes, { uri: path.basename(file), maxIssues: 100 });
    const issues = report.issues;
    console.log(JSON.stringify({
      file,
      errors: issues.numErrors,
      warnings: issues.numWarnings,
      infos: issues.numInfos,
      messages: issues.messages.slice(0, 20).map((m) => `${m.severity} ${m.code} ${m.pointer || ""} ${m.message}`),
    }));
  }
}
main().catch((error) => { console.error(String(error)); process.exit(1); });
