//! Facts both languages need, checked against their one source in the Rust core: the error
//! classes (`ErrorKind::ALL`) in `js/runtime.js`, `pkg-template/errors.d.ts`, `scripts/build.sh`
//! and the package tests; the transport's failure names (`Failure::TRANSPORT_NAMES`) in
//! `js/runtime.js`; the status→code table shared with the simulator (`simulator/errors.js`,
//! run with Node); the webhook refusal codes (`WebhookErrorCode::ALL`) in
//! `pkg-template/errors.d.ts`.

#![cfg(not(target_arch = "wasm32"))]

use encore_cloud::core::error::{code_for_status, ErrorKind};
use encore_cloud::core::retry::Failure;
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `needle<ident>` in `text` (an identifier: letters, digits, `_`).
fn idents_after(text: &str, needle: &str) -> BTreeSet<String> {
    text.match_indices(needle)
        .map(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn error_classes_agree_with_the_rust_error_kinds() {
    let runtime = read("js/runtime.js");
    let dts = read("pkg-template/errors.d.ts");
    let build = read("scripts/build.sh");
    let suite = read("tests/package/suite.mjs");
    let classes: BTreeSet<String> = ErrorKind::ALL
        .iter()
        .map(|k| k.js_class().to_owned())
        .collect();
    assert_eq!(
        idents_after(&runtime, "export class "),
        classes,
        "js/runtime.js"
    );
    assert_eq!(
        idents_after(&dts, "export declare class "),
        classes,
        "errors.d.ts"
    );
    for k in ErrorKind::ALL {
        let class = k.js_class();
        let name = k.class_name();
        assert!(
            runtime.contains(&format!("{class}.prototype.name = \"{name}\";")),
            "runtime.js: {class} is named {name}"
        );
        // makeError finds the class by the name the core sends.
        let entry = if class == name {
            format!(" {class},")
        } else {
            format!("{name}: {class}")
        };
        assert!(
            k == ErrorKind::TokenFunction || runtime.contains(&entry),
            "runtime.js CLASSES has {entry}"
        );
        assert!(build.contains(class), "scripts/build.sh re-exports {class}");
        assert!(
            suite.contains(&format!("\"{class}\"")),
            "the package tests know {class}"
        );
    }
}

#[test]
fn transport_failure_names_agree_with_the_core() {
    let runtime = read("js/runtime.js");
    let sent = idents_after(&runtime, "failure(\"");
    let known: BTreeSet<String> = Failure::TRANSPORT_NAMES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    assert_eq!(
        sent, known,
        "names js/runtime.js rejects with vs Failure::TRANSPORT_NAMES"
    );
    for (name, f) in Failure::TRANSPORT_NAMES {
        assert_eq!(Failure::from_transport_name(name), Some(f));
    }
    assert_eq!(Failure::from_transport_name("maybe-sent"), None);
}

#[test]
fn the_simulator_derives_the_same_code_from_a_status() {
    let script = r#"
      const { codeForStatus } = await import(process.argv[1]);
      const out = [];
      for (let s = 100; s < 600; s++) out.push(codeForStatus(s));
      console.log(out.join(","));
    "#;
    let errors_js = format!("{}/simulator/errors.js", env!("CARGO_MANIFEST_DIR"));
    let url = format!("file://{errors_js}");
    let out = std::process::Command::new("node")
        .args(["--input-type=module", "-e", script, &url])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sim = String::from_utf8(out.stdout).unwrap();
    for (status, code) in (100u16..600).zip(sim.trim().split(',')) {
        assert_eq!(code_for_status(status), code, "status {status}");
    }
}

#[cfg(feature = "webhooks")]
#[test]
fn webhook_error_codes_agree_with_the_declarations() {
    use encore_cloud::core::resources::webhooks::WebhookErrorCode;
    let dts = read("pkg-template/errors.d.ts");
    let line = dts
        .lines()
        .find(|l| l.trim_start().starts_with("code: \"missing_signature\""))
        .expect("EncoreWebhookError's code union in errors.d.ts");
    let declared = idents_after(line, "\"");
    let declared: BTreeSet<String> = declared.into_iter().filter(|s| !s.is_empty()).collect();
    let known: BTreeSet<String> = WebhookErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(
        declared, known,
        "EncoreWebhookError codes in errors.d.ts vs WebhookErrorCode::ALL"
    );
}
