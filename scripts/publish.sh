#!/usr/bin/env bash
# Builds self-contained Engram packages: artifacts/engram-RID/{daemon,discord,bench,deploy,docs} and artifacts/engram-RID.tar.gz.
# Usage: scripts/publish.sh [RID...]    (default: linux-arm64 linux-x64; OUT=dir to put them elsewhere)
# The daemon is compiled to a native AOT binary when the RID is this machine's own (native AOT links with this
# machine's C toolchain and cannot cross-compile): run the script on the board for an AOT linux-arm64 daemon.
# For other RIDs, or with AOT=0, it is published with the JIT runtime, which works the same and uses more memory.
# Install on the board: see docs/operations.md (the tree goes to /opt/engram).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-artifacts}
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)
case "$(uname -m)" in
  x86_64) host_rid=linux-x64 ;;
  aarch64 | arm64) host_rid=linux-arm64 ;;
  *) host_rid=unknown ;;
esac

# LLamaSharp's backend package copies llama.cpp for every platform it supports: keep the package's own.
prune_runtimes() {
  local dir=$1/runtimes rid=$2
  [ -d "$dir" ] || return 0
  find "$dir" -mindepth 1 -maxdepth 1 ! -name "$rid" -exec rm -rf {} +
}

for rid in "${rids[@]}"; do
  target="$out/engram-$rid"
  rm -rf "$target"
  echo "publishing $rid to $target"
  if [ "${AOT:-1}" != 0 ] && [ "$rid" = "$host_rid" ] && { command -v gcc >/dev/null || command -v clang >/dev/null; }; then
    echo "  daemon: native AOT"
    dotnet publish src/InferenceDaemon -c Release -r "$rid" -p:PublishAot=true -p:DebugType=none \
      -p:CopyOutputSymbolsToPublishDirectory=false -o "$target/daemon" --nologo -v quiet
    rm -f "$target/daemon"/*.dbg "$target/daemon"/*.pdb
  else
    echo "  daemon: JIT runtime (native AOT is built only for this machine's $host_rid, with a C toolchain, unless AOT=0)"
    dotnet publish src/InferenceDaemon -c Release -r "$rid" -p:PublishAot=false --self-contained -p:DebugType=none \
      -o "$target/daemon" --nologo -v quiet
  fi
  prune_runtimes "$target/daemon" "$rid"
  dotnet publish src/DiscordFrontend -c Release -r "$rid" --self-contained -p:DebugType=none -o "$target/discord" --nologo -v quiet
  dotnet publish src/Bench -c Release -r "$rid" --self-contained -p:DebugType=none -o "$target/bench" --nologo -v quiet
  prune_runtimes "$target/bench" "$rid"
  mkdir -p "$target/deploy" "$target/docs"
  cp -r deploy/systemd "$target/deploy/"
  cp deploy/*.json "$target/deploy/"
  cp docs/*.md "$target/docs/"
  tar -czf "$out/engram-$rid.tar.gz" -C "$out" "engram-$rid"
  echo "wrote $out/engram-$rid.tar.gz ($(du -sh "$out/engram-$rid.tar.gz" | cut -f1))"
done
