#!/usr/bin/env bash
# Regenerates screenshots/*.png from real runs of the console: the real binary in tmux, driven
# with send-keys, captured with colours (capture-pane -e), turned into HTML by aha with the
# Unifont font (an exact 8x16 grid), and photographed by headless chromium.
# Needs: tmux aha fonts-unifont chromium (make screenshots installs them), a built bc260.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/bc260}
OUT=screenshots
WORK=$(mktemp -d /tmp/bc260-shots.XXXXXX)
SOCKET=bc260-shots-$$
mkdir -p "$OUT"
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; sleep 0.5; rm -rf "$WORK"' EXIT

tm() { tmux -L "$SOCKET" "$@"; }

# start WIDTH HEIGHT: a fresh console (its own state) in a fresh tmux window.
start() {
  tm kill-server 2>/dev/null || true
  SCENE=$((${SCENE:-0} + 1))
  mkdir -p "$WORK/state-$SCENE"
  # The old server may still be going away: try again rather than race it.
  for attempt in 1 2 3 4 5; do
    tm new-session -d -x "$1" -y "$2" -e LANG=C.UTF-8 -e TERM=xterm-256color \
      "$BIN --state $WORK/state-$SCENE; sleep 5" && break
    sleep 0.5
  done
  W=$1; H=$2
}

# wait_for TEXT...: until the screen holds every TEXT (30 s at most).
wait_for() {
  for _ in $(seq 300); do
    local screen ok=1
    screen=$(tm capture-pane -p -t 0)
    for text in "$@"; do grep -qF -- "$text" <<<"$screen" || ok=0; done
    [ $ok = 1 ] && return 0
    sleep 0.1
  done
  echo "screenshots: timed out waiting for: $*" >&2
  tm capture-pane -p -t 0 >&2
  return 1
}

send() { for line in "$@"; do tm send-keys -t 0 -l -- "$line"; tm send-keys -t 0 Enter; sleep 0.3; done; }

# shot NAME: capture-pane -e → aha → HTML with Unifont → chromium → screenshots/NAME.png
shot() {
  sleep 0.5
  tm capture-pane -e -p -t 0 > "$WORK/$1.ans"
  aha --black --no-header < "$WORK/$1.ans" > "$WORK/$1.body"
  {
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
    echo '@font-face { font-family: U; src: local("Unifont"), url("file:///usr/share/fonts/opentype/unifont/unifont.otf"); }'
    echo 'html, body { margin: 0; padding: 0; background: black; color: #d0d0d0; }'
    echo 'pre { margin: 0; padding: 8px; font-family: U, Unifont, monospace; font-size: 16px; line-height: 16px; }'
    echo '</style></head><body><pre>'
    cat "$WORK/$1.body"
    echo '</pre></body></html>'
  } > "$WORK/$1.html"
  local width=$((W * 8 + 16)) height=$((H * 16 + 16))
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$width,$height" --screenshot="$PWD/$OUT/$1.png" "file://$WORK/$1.html" >/dev/null 2>&1
  echo "screenshots/$1.png ($width×$height)"
}

# 1. The first screen.
start 120 36
wait_for "+CPIN: READY" "AT command"
shot first-screen

# 2. CT IoT: configure, add /19/0/0, register, answer the observe, send the first notification.
start 120 36
wait_for "+CPIN: READY"
send 'AT+QLACFG="platform",0' 'AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3' \
  'AT+QLAADDOBJ=19,0,1,0' 'AT+QLAREG'
wait_for "+QLAREG: 0" "AT> AT+QLAOBSRSP="
shot ct-iot-observe
tm send-keys -t 0 Enter
wait_for "+QLAOBSRSP: 0"
send 'AT+QLANOTIFY=19,0,0,2,9,"020001000400023238",0,0'
wait_for "+QLANOTIFY: 0"
sleep 1
shot ct-iot-notified

# 3. Andlink: bootstrap, register, the platform reads /19/1/0 and writes it.
start 120 36
wait_for "+CPIN: READY"
send 'AT+QLACFG="platform",2' 'AT+QLACFG="cfg_res",3,0,17,"500677"' 'AT+QLAADDOBJ=19,1,1,0' \
  'AT+QLACONFIG=1,"lwm.home.komect.com",5683,"866971031275899",30,3' 'AT+QLAREG'
wait_for '+QLAURC: "read"' "AT> AT+QLARDRSP="
# The pre-filled answer carries the message id; the value is the learner's to type.
mid=$(tm capture-pane -p -t 0 -S -200 | sed -n 's/.*+QLAURC: "read",\([0-9]*\),.*/\1/p' | head -1)
tm send-keys -t 0 C-e C-u
tm send-keys -t 0 -l -- "AT+QLARDRSP=$mid,1,19,1,0,2,20,\"7b226f75746c6574537461747573223a2231227d\",0"
shot andlink-read
tm send-keys -t 0 Enter
wait_for '+QLAURC: "write"' "AT> AT+QLAWRRSP="
tm send-keys -t 0 Enter
wait_for "+QLAWRRSP: 0"
shot andlink-write

# 4. F1: the full reference of the command being typed.
start 120 36
wait_for "+CPIN: READY"
tm send-keys -t 0 -l -- 'AT+QLAOBSRSP='
tm send-keys -t 0 F1
sleep 0.5
shot f1-help
