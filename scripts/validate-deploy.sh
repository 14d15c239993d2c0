#!/usr/bin/env bash
# Checks the deployment files without a cluster or a Docker engine (part of
# `make test`):
#   - every manifest in deploy/kubernetes against the schemas of Kubernetes
#     $K8S_VERSION with kubernetes-validate --strict (unknown or misspelt
#     fields, wrong types and missing required fields fail; so does a kind it
#     has no schema for);
#   - kustomization.yaml names files that exist, and every other manifest is
#     either listed there or one of the two applied by hand (secret, migration job);
#   - the environment variables given to the server and the Stripe emulator
#     (ConfigMap, Secrets, containers' env, docker-compose.yml) are names
#     their sources read;
#   - docker-compose.yml: every service has an image or a build, depends_on
#     names services that exist, and each build target is a Dockerfile stage.
# kubernetes-validate lives in .data/tools/venv (scripts/install-tools.sh --test).
#   scripts/validate-deploy.sh [MANIFEST_DIR]   (default deploy/kubernetes)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.data/tools/venv"
# A version kubernetes-validate has schemas for (`ls` its kubernetes-json-schema
# folder); 1.31 is the oldest the manifests need (native preStop sleep is
# on by default from 1.30).
K8S_VERSION=${K8S_VERSION:-1.31.0}
DIR=$(cd "${1:-$ROOT/deploy/kubernetes}" && pwd)

if [ ! -x "$VENV/bin/kubernetes-validate" ]; then
  echo "kubernetes-validate is not installed in $VENV (run scripts/install-tools.sh --test)" >&2
  exit 1
fi

shopt -s nullglob
manifests=()
for file in "$DIR"/*.yaml "$DIR"/*.yml; do
  # Not a Kubernetes object (kubernetes-validate has no schema for it): checked below.
  [ "$(basename "$file")" = kustomization.yaml ] && continue
  manifests+=("$file")
done
[ ${#manifests[@]} -gt 0 ] || { echo "no manifests in $DIR" >&2; exit 1; }

echo "kubernetes-validate $("$VENV/bin/kubernetes-validate" --version 2>&1 | awk '{print $NF}'), Kubernetes $K8S_VERSION, strict, in $DIR:"
status=0
for file in "${manifests[@]}"; do
  out=$("$VENV/bin/kubernetes-validate" --strict -k "$K8S_VERSION" "$file" 2>&1) || status=1
  echo "$out" | sed "s|$DIR/||; s/^/  /"
  # A kind without a schema is only a warning to kubernetes-validate: here it fails.
  if echo "$out" | grep -qE '^(WARN|ERROR)'; then status=1; fi
done

"$VENV/bin/python" - "$ROOT" "$DIR" <<'PY' || status=1
import os, re, sys
import yaml

root, kdir = sys.argv[1], sys.argv[2]
errors, warnings = [], []

def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]

# --- kustomization.yaml ----------------------------------------------------
kust_path = os.path.join(kdir, "kustomization.yaml")
by_hand = {"secret.yaml", "migrate-job.yaml"}
files = sorted(f for f in os.listdir(kdir) if f.endswith((".yaml", ".yml")) and f != "kustomization.yaml")
if os.path.exists(kust_path):
    kust = yaml.safe_load(open(kust_path))
    listed = kust.get("resources") or []
    for res in listed:
        if not os.path.exists(os.path.join(kdir, res)):
            errors.append(f"kustomization.yaml lists {res}, which does not exist")
    for f in files:
        if f not in listed and f not in by_hand:
            errors.append(f"{f} is neither in kustomization.yaml nor one of {sorted(by_hand)}")
    for f in by_hand & set(listed):
        errors.append(f"kustomization.yaml lists {f}, which is applied by hand (README.md)")
    print(f"kustomization.yaml: {len(listed)} resources, all present; applied by hand: {', '.join(sorted(by_hand & set(files)))}")
else:
    errors.append("kustomization.yaml is missing")

# --- environment variable names ----------------------------------------------
def literals(*dirs):
    names = set()
    for d in dirs:
        for base, _, fs in os.walk(os.path.join(root, d)):
            for f in fs:
                if f.endswith(".rs"):
                    names |= set(re.findall(r'"([A-Z][A-Z0-9_]+)"', open(os.path.join(base, f)).read()))
    return names

# Read by libraries, not named in the shop's sources: leptos_config's settings,
# tracing's filter, and AWS_* for the S3 cover store (object_store).
LEPTOS = {"LEPTOS_SITE_ADDR", "LEPTOS_SITE_ROOT", "LEPTOS_ENV", "LEPTOS_SITE_PKG_DIR",
          "LEPTOS_OUTPUT_NAME", "LEPTOS_HASH_FILE_NAME", "LEPTOS_HASH_FILES"}
# Names the deployment may set ahead of the code that reads them (a warning
# instead of an error while that code is on its way); none at present.
PENDING = set()
server_names = literals("app/src", "server/src") | LEPTOS | {"RUST_LOG"}
emulator_names = literals("end2end/stripe-emulator/src") | {"RUST_LOG"}

def check_names(where, names, known):
    for name in sorted(names):
        if name in known or name.startswith("AWS_"):
            continue
        if name in PENDING:
            warnings.append(f"{where}: {name} is not read by the server yet")
        else:
            errors.append(f"{where}: {name} is not an environment variable the server reads")
            unknown_names.append(name)

def pgbouncer_ini(where, ini):
    # What the shop needs of a pooler in front of it (README.md).
    settings = dict(
        (k.strip(), v.strip())
        for k, v in (line.split("=", 1) for line in ini.splitlines()
                     if "=" in line and not line.lstrip().startswith((";", "#", "[")))
    )
    if settings.get("pool_mode") != "transaction":
        errors.append(f"{where}: pool_mode must be transaction")
    if int(settings.get("max_prepared_statements", "0")) <= 0:
        errors.append(f"{where}: max_prepared_statements must be above 0 (sqlx prepares every query)")
    if "extra_float_digits" not in settings.get("ignore_startup_parameters", ""):
        errors.append(f"{where}: ignore_startup_parameters must name extra_float_digits")

checked = 0
unknown_names = []
for f in files:
    for doc in load_all(os.path.join(kdir, f)):
        kind = doc.get("kind")
        where = f"{f} ({kind} {doc.get('metadata', {}).get('name', '')})"
        # PgBouncer's own objects carry its settings, not the server's variables.
        if (doc.get("metadata", {}).get("labels") or {}).get("app.kubernetes.io/component") == "pgbouncer":
            if kind == "ConfigMap":
                pgbouncer_ini(where, (doc.get("data") or {}).get("pgbouncer.ini", ""))
                checked += 1
            continue
        if kind == "ConfigMap":
            check_names(where, (doc.get("data") or {}).keys(), server_names)
            checked += 1
        elif kind == "Secret":
            check_names(where, list((doc.get("stringData") or {}).keys()) + list((doc.get("data") or {}).keys()), server_names)
            checked += 1
        elif kind in ("Deployment", "Job", "StatefulSet", "CronJob"):
            spec = doc["spec"]
            if kind == "CronJob":
                spec = spec["jobTemplate"]["spec"]
            for c in spec["template"]["spec"].get("containers", []):
                check_names(f"{where} container {c['name']}", [e["name"] for e in c.get("env", [])], server_names)
            checked += 1

# --- docker-compose.yml ------------------------------------------------------
compose_path = os.path.join(root, "docker-compose.yml")
stages = set(re.findall(r"(?im)^FROM\s+\S+\s+AS\s+(\S+)", open(os.path.join(root, "Dockerfile")).read()))
compose = yaml.safe_load(open(compose_path))
services = compose.get("services") or {}
if not services:
    errors.append("docker-compose.yml has no services")
for name, svc in services.items():
    if "image" not in svc and "build" not in svc:
        errors.append(f"docker-compose.yml: service {name} has neither image nor build")
    deps = svc.get("depends_on") or []
    for dep in (deps.keys() if isinstance(deps, dict) else deps):
        if dep not in services:
            errors.append(f"docker-compose.yml: service {name} depends on {dep}, which is not a service")
    build = svc.get("build")
    target = build.get("target") if isinstance(build, dict) else None
    if target and target not in stages:
        errors.append(f"docker-compose.yml: service {name} builds target {target}, not a stage of the Dockerfile ({sorted(stages)})")
    if build is not None:
        env = svc.get("environment") or {}
        keys = env.keys() if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
        check_names(f"docker-compose.yml service {name}", keys,
                    emulator_names if target == "emulator" else server_names)
        # No secret is shipped: APP_SECRET must come from whoever starts it.
        if isinstance(env, dict) and "APP_SECRET" in env:
            value = str(env["APP_SECRET"])
            if not re.fullmatch(r"\$\{APP_SECRET:\?[^}]*\}", value):
                errors.append(f"docker-compose.yml: service {name} ships an APP_SECRET ({value!r}); use ${{APP_SECRET:?...}} so compose refuses to start without one")
print(f"docker-compose.yml: {len(services)} services ({', '.join(services)})")
if not unknown_names:
    print(f"environment names: those of {checked} manifests and of the compose services built here are read by the sources")

for w in warnings:
    print(f"  warning: {w}")
for e in errors:
    print(f"  error: {e}")
sys.exit(1 if errors else 0)
PY

if [ "$status" -ne 0 ]; then
  echo "validate-deploy: FAILED" >&2
  exit 1
fi
echo "validate-deploy: ${#manifests[@]} manifests, kustomization.yaml and docker-compose.yml are valid"
