// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bc260",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bc260", targets: ["bc260"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // RFC 7252/7641/7959 messages and the sans-I/O exchange machine.
        .target(name: "CoAP"),
        // LwM2M data model, content formats, client and server state machines.
        .target(name: "LwM2M", dependencies: ["CoAP"]),
        // AT line framing, command-line parsing, response/URC formatting, the command catalogue.
        .target(name: "ATProtocol"),
        // C declarations Swift cannot import directly (posix_openpt and friends need _GNU_SOURCE).
        .target(name: "CSystem"),
        // OpenSSL 3 (libssl-dev), found with pkg-config; the shim wraps the macros Swift cannot import.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev", "pkg-config"])]),
        // gettimeofday() for the process: the caller's clock while a DTLS call runs (see its header).
        .target(name: "CDTLSClock"),
        // DTLS with pre-shared keys, sans-I/O: sessions, a per-peer server, a secured client channel.
        .target(name: "DTLS", dependencies: ["COpenSSL", "CDTLSClock", "CoAP"]),
        // The emulated BC260Y-CN: AT handlers, LwM2M status machine, URCs, saved state, sleep.
        .target(name: "ModuleCore", dependencies: ["ATProtocol", "CoAP", "LwM2M", "DTLS"]),
        // ncursesw, wide-character build; the shim wraps the macros Swift cannot import.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The console: SessionModel built from AT lines, panes drawn into a grid, ncurses driver.
        .target(name: "Console", dependencies: ["CNCurses", "ATProtocol", "ModuleCore", "Runtime", "Platforms", "CoAP", "LwM2M"]),
        // The edges: poll loop, UDP sockets, in-memory network with virtual time.
        .target(name: "Runtime", dependencies: ["CoAP", "LwM2M", "CSystem"]),
        // Servers a person or a test drives: the standalone platform and its line interface.
        .target(name: "Platforms", dependencies: ["CoAP", "LwM2M", "Runtime", "ModuleCore", "DTLS"]),
        .executableTarget(name: "bc260", dependencies: [
            "CoAP", "LwM2M", "Runtime", "Platforms", "ModuleCore", "ATProtocol", "Console", "DTLS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "bc260-bench", dependencies: ["CoAP", "LwM2M", "Runtime", "Platforms", "ModuleCore", "ATProtocol", "Console"]),
        // What the process-level tests share: one child-process helper, bounded waits, paths.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CoAPTests", dependencies: ["CoAP"]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "CoAP"]),
        .testTarget(name: "ATProtocolTests", dependencies: ["ATProtocol"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "ATProtocol", "ModuleCore", "Platforms", "Runtime", "TestSupport"]),
        .testTarget(name: "ModuleCoreTests", dependencies: ["ModuleCore", "ATProtocol", "CoAP", "LwM2M", "Runtime", "DTLS"]),
        .testTarget(name: "LwM2MTests", dependencies: ["LwM2M", "CoAP"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "LwM2M", "CoAP", "TestSupport"]),
        .testTarget(name: "PlatformsTests", dependencies: ["Platforms", "Runtime", "LwM2M", "CoAP", "DTLS", "ModuleCore"]),
        .testTarget(name: "InteropTests", dependencies: ["Platforms", "Runtime", "LwM2M", "CoAP", "DTLS", "TestSupport"]),
    ]
)
