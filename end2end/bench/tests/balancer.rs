//! The fault test behind a real balancer: a small rush through HAProxy in front
//! of three release servers, the last one stopped with SIGTERM and started again
//! while buyers check out. Nothing may be oversold or lost, the restart must
//! fall inside the rush, and no buyer request may fail (HAProxy retries what
//! found no instance; the draining one finishes what it took). Needs the release build (`make test` makes it first) and
//! Debian's haproxy (`scripts/install-tools.sh --test`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn a_rush_through_haproxy_survives_an_instance_restart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(
        root.join("target/release/server").is_file(),
        "target/release/server is missing: build the release first (make test does)"
    );
    let connections = 50;
    let status = Command::new(env!("CARGO_BIN_EXE_rush"))
        .current_dir(&root)
        .args(["--buyers", "600", "--seats", "200", "--pay-fraction", "1"])
        .args(["--connections", &connections.to_string()])
        .args(["--restart-after-ms", "250", "--ceiling-secs", "0"])
        .args(["--json", "rush-restart-test.json"])
        .status()
        .expect("the rush binary runs");
    assert!(status.success(), "the rush's own checks failed (see above)");

    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("target/bench/rush-restart-test.json"))
            .expect("the rush wrote its report"),
    )
    .expect("the report is JSON");
    let checks = &report["checks"];
    assert_eq!(checks["oversold"], 0, "{checks}");
    assert_eq!(checks["lost"], 0, "{checks}");
    assert_eq!(checks["sold"], 200, "every seat sold: {checks}");
    assert_eq!(report["balancer"], "haproxy");

    let restarted = &report["restarted"];
    let sigterm_at = restarted["sigterm_at_s"]
        .as_f64()
        .expect("a restart happened");
    let window = report["rush"]["window_s"].as_f64().unwrap();
    assert!(
        sigterm_at < window,
        "the instance must be stopped during the rush ({sigterm_at} s, rush over at {window} s)"
    );

    let errors = report["rush"]["errors"]
        .as_object()
        .expect("errors by text");
    // What the book claims (docs/src/benchmarks.md): HAProxy retries a request that found no
    // instance, and the draining one finishes those it took, so no buyer
    // request fails at all.
    let failed: u64 = errors.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(
        failed, 0,
        "buyer requests failed across the restart: {errors:?}"
    );
    assert_eq!(report["home_page_during_rush"]["failed"], 0, "{report}");
}
