#!/bin/sh
# Builds Sources/CoAP as its own optimized module and runs Tools/CodecSpeed.swift against it.
set -e
cd "$(dirname "$0")/.."
out=${TMPDIR:-/tmp}/coap-codec-speed
mkdir -p "$out"
swiftc -O -wmo -parse-as-library -module-name CoAP -emit-module -emit-module-path "$out/CoAP.swiftmodule" \
    -emit-library -static -o "$out/libCoAP.a" Sources/CoAP/*.swift
swiftc -O -I "$out" -L "$out" -lCoAP Tools/CodecSpeed.swift -o "$out/codec-speed"
"$out/codec-speed"
