#!/usr/bin/env bash
# Builds self-contained Engram packages: artifacts/engram-RID/{daemon,discord,bench,deploy,docs} and artifacts/engram-RID.tar.gz.
# Usage: scripts/publish.sh [RID...]    (default: linux-arm64 linux-x64; OUT=dir to put them elsewhere)
# Install on the board: see docs/operations.md (the tree goes to /opt/engram).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-artifacts}
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)
for rid in "${rids[@]}"; do
  target="$out/engram-$rid"
  rm -rf "$target"
  echo "publishing $rid to $target"
  dotnet publish src/InferenceDaemon -c Release -r "$rid" --self-contained -p:DebugType=none -o "$target/daemon" --nologo -v quiet
  dotnet publish src/DiscordFrontend -c Release -r "$rid" --self-contained -p:DebugType=none -o "$target/discord" --nologo -v quiet
  dotnet publish src/Bench -c Release -r "$rid" --self-contained -p:DebugType=none -o "$target/bench" --nologo -v quiet
  mkdir -p "$target/deploy" "$target/docs"
  cp -r deploy/systemd "$target/deploy/"
  cp deploy/*.json "$target/deploy/"
  cp docs/*.md "$target/docs/"
  tar -czf "$out/engram-$rid.tar.gz" -C "$out" "engram-$rid"
  echo "wrote $out/engram-$rid.tar.gz ($(du -sh "$out/engram-$rid.tar.gz" | cut -f1))"
done
