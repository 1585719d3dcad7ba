#!/usr/bin/env bash
# Makes sure the toolchain rust-toolchain.toml pins (1.95.0) and its wasm32
# target exist, idempotently. Online, rustup installs them; offline, an
# installed stable 1.95 is linked under the pinned name (a linked toolchain
# cannot add targets, so wasm32 is added to stable, whose sysroot it shares).
set -euo pipefail
pinned=1.95.0
if ! rustup run "$pinned" rustc --version >/dev/null 2>&1; then
  if ! rustup toolchain install "$pinned" --profile minimal \
      --component clippy --component rustfmt --target wasm32-unknown-unknown; then
    stable_version=$(rustc +stable --version 2>/dev/null | awk '{print $2}')
    if [ "$stable_version" != "$pinned" ]; then
      echo "toolchain.sh: rust $pinned is not installed and stable is '$stable_version'" >&2
      exit 1
    fi
    rustup toolchain link "$pinned" "$(rustc +stable --print sysroot)"
  fi
fi
libdir=$(rustc +"$pinned" --print target-libdir --target wasm32-unknown-unknown)
if [ ! -d "$libdir" ]; then
  rustup target add --toolchain "$pinned" wasm32-unknown-unknown \
    || rustup target add --toolchain stable wasm32-unknown-unknown
fi
