#!/usr/bin/env bash
# Installs veloz as a systemd service on a colo host, from a built checkout
# (`npm ci` done: dist/ and build/Release/ exist).
#
#   sudo deploy/install.sh [--prefix /opt/veloz] [--dry-run]
#
# What it does (each step is skipped when already done, so it can be re-run to upgrade):
#   1. system user and group `veloz` (no login, no home)
#   2. copies the build to the prefix (owned by root: the service cannot rewrite its code)
#   3. /etc/veloz/veloz.toml from deploy/colo.toml, only if absent; gateway token if absent;
#      secret files referenced by the config checked (owner veloz, mode 0600)
#   4. the systemd unit (ExecStart rewritten to this host's node), then daemon-reload
# It never starts or restarts the service: that stays an explicit operator step.
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/opt/veloz
ETC=/etc/veloz
UNIT_DIR=/etc/systemd/system
SERVICE_USER=veloz
DRY_RUN=0

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --prefix)
      [[ $# -ge 2 ]] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
      PREFIX="$2"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ $DRY_RUN -eq 0 && $(id -u) -ne 0 ]]; then
  echo "install.sh must run as root: it creates the '$SERVICE_USER' user and writes $PREFIX, $ETC and $UNIT_DIR." >&2
  echo "Run it with sudo, or add --dry-run to see what it would do." >&2
  exit 1
fi

# Runs a command, or shows it under --dry-run.
run() {
  if [[ $DRY_RUN -eq 1 ]]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# Writes stdin to a file with a mode and owner. Under --dry-run it is shown instead:
# in full with `full` as 4th argument, else as a line count.
write_file() {
  local dest="$1" mode="$2" owner="$3" show="${4:-brief}"
  if [[ $DRY_RUN -eq 1 ]]; then
    if [[ $show == full ]]; then
      printf '+ write %s (mode %s, owner %s):\n' "$dest" "$mode" "$owner"
      sed 's/^/|   /'
    else
      printf '+ write %s (mode %s, owner %s): %s lines\n' "$dest" "$mode" "$owner" "$(wc -l | tr -d ' ')"
    fi
  else
    local tmp
    tmp="$(mktemp "$(dirname "$dest")/.install.XXXXXX")"
    cat >"$tmp"
    chmod "$mode" "$tmp"
    chown "$owner" "$tmp"
    mv -f "$tmp" "$dest"
  fi
}

note() { printf '%s\n' "$*"; }

# --- preflight -------------------------------------------------------------------
for f in dist/src/cli/main.js build/Release/veloz_native.node package.json deploy/veloz.service deploy/colo.toml; do
  [[ -e "$SRC/$f" ]] || { echo "install.sh: $SRC/$f is missing: run 'npm ci' in $SRC first" >&2; exit 1; }
done
NODE_BIN="$(command -v node || true)"
[[ -n "$NODE_BIN" ]] || { echo "install.sh: node is not on PATH (veloz needs Node >= 20.10)" >&2; exit 1; }
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VERSION="$("$NODE_BIN" -p 'process.versions.node')"
IFS=. read -r NODE_MAJOR NODE_MINOR _ <<<"$NODE_VERSION"
if (( NODE_MAJOR < 20 || (NODE_MAJOR == 20 && NODE_MINOR < 10) )); then
  echo "install.sh: $NODE_BIN is Node $NODE_VERSION; veloz needs >= 20.10" >&2
  exit 1
fi
[[ $DRY_RUN -eq 1 ]] && note "dry run: nothing is changed; commands are shown with a leading +"
note "source $SRC, prefix $PREFIX, node $NODE_BIN ($NODE_VERSION)"

# --- 1. user ---------------------------------------------------------------------
if id -u "$SERVICE_USER" >/dev/null 2>&1; then
  note "user $SERVICE_USER exists"
else
  run useradd --system --user-group --home-dir /var/lib/veloz --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi

# --- 2. code ---------------------------------------------------------------------
run install -d -m 0755 -o root -g root "$PREFIX"
for item in dist build/Release node_modules package.json deploy docs; do
  [[ -e "$SRC/$item" ]] || continue
  run rm -rf "${PREFIX:?}/$item"
  [[ "$(dirname "$item")" == . ]] || run mkdir -p "$PREFIX/$(dirname "$item")"
  run cp -a "$SRC/$item" "$PREFIX/$item"
done
run chown -R root:root "$PREFIX"
run chmod -R go-w "$PREFIX"

# --- 3. config and secrets -------------------------------------------------------
run install -d -m 0750 -o root -g "$SERVICE_USER" "$ETC"
if [[ -e "$ETC/veloz.toml" ]]; then
  note "keeping existing $ETC/veloz.toml"
else
  write_file "$ETC/veloz.toml" 0640 "root:$SERVICE_USER" <"$SRC/deploy/colo.toml"
fi
if [[ ! -e "$ETC/veloz.env" ]]; then
  write_file "$ETC/veloz.env" 0600 root:root <<'EOF'
# Environment for veloz.service (EnvironmentFile=). API keys named by *Env keys in
# veloz.toml go here, e.g.:
# BINANCE_API_KEY=...
EOF
fi
CONFIG="$ETC/veloz.toml"
[[ -e "$CONFIG" ]] || CONFIG="$SRC/deploy/colo.toml"
TOKEN_CREATED=0
TOKEN_FILE="$(sed -n 's/^[[:space:]]*tokenFile[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$CONFIG" | head -n1)"
if [[ -n "$TOKEN_FILE" && ! -e "$TOKEN_FILE" ]]; then
  # The gateway API token: 32 random bytes as hex, readable by the service user only.
  TOKEN_CREATED=1
  if [[ $DRY_RUN -eq 1 ]]; then
    printf '+ write %s (mode 0600, owner %s): a new random gateway token\n' "$TOKEN_FILE" "$SERVICE_USER:$SERVICE_USER"
  else
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | write_file "$TOKEN_FILE" 0600 "$SERVICE_USER:$SERVICE_USER"
  fi
fi
missing=0
while IFS= read -r secret; do
  [[ -n "$secret" ]] || continue
  if [[ $TOKEN_CREATED -eq 1 && "$secret" == "$TOKEN_FILE" ]]; then
    continue
  elif [[ -e "$secret" ]]; then
    # resolveSecret refuses anything readable by group or others.
    run chown "$SERVICE_USER:$SERVICE_USER" "$secret"
    run chmod 0600 "$secret"
  else
    note "MISSING secret file $secret (referenced by $CONFIG): create it with"
    note "    install -m 0600 -o $SERVICE_USER -g $SERVICE_USER /dev/stdin $secret   # paste, then Ctrl-D"
    missing=1
  fi
done < <(sed -n 's/^[[:space:]]*[A-Za-z]*File[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$CONFIG" | grep -v '^$' | sort -u)

# --- 4. unit ---------------------------------------------------------------------
sed -e "s|^ExecStart=/usr/bin/node /opt/veloz/|ExecStart=$NODE_BIN $PREFIX/|" \
  -e "s|^WorkingDirectory=/opt/veloz$|WorkingDirectory=$PREFIX|" \
  "$SRC/deploy/veloz.service" | write_file "$UNIT_DIR/veloz.service" 0644 root:root full
if [[ -d /run/systemd/system ]]; then
  run systemctl daemon-reload
else
  note "systemd is not running here: skipped 'systemctl daemon-reload'"
fi

note ""
if [[ $DRY_RUN -eq 1 ]]; then note "dry run complete: nothing was changed. After a real run:"; else note "installed. Next:"; fi
[[ $missing -eq 1 ]] && note "  - create the missing secret files listed above"
note "  - review $ETC/veloz.toml (cores, venues, strategies) and deploy/TUNING.md"
note "  - systemctl enable --now veloz && journalctl -u veloz -f"
