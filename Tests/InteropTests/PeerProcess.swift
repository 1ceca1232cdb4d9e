import Foundation

/// A third-party peer (libcoap's binaries, a Python aiocoap script) run as a child process.
/// Its stdout is collected line by line so a test can wait for what it printed.
final class PeerProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var collected: [String] = []

    /// Runs `executable` (looked up on PATH) with `arguments`; stderr joins stdout.
    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock {
                self.buffer.append(data)
                while let nl = self.buffer.firstIndex(of: 0x0A) {
                    self.collected.append(String(decoding: self.buffer[..<nl], as: UTF8.self))
                    self.buffer.removeSubrange(...nl)
                }
            }
        }
        try process.run()
    }

    var lines: [String] { lock.withLock { collected } }
    var output: String { lock.withLock { (collected + [String(decoding: buffer, as: UTF8.self)]).joined(separator: "\n") } }
    var isRunning: Bool { process.isRunning }
    var exitCode: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Waits (really, this is a live peer) until `condition` holds over the lines or time runs out.
    @discardableResult
    func waitFor(seconds: Double, pump: () -> Void = {}, _ condition: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(lines) { return true }
            pump()
            usleep(2_000)
        }
        return condition(lines)
    }

    /// Waits for the process to end; false when it did not within `seconds`.
    @discardableResult
    func waitForExit(seconds: Double, pump: () -> Void = {}) -> Bool {
        waitFor(seconds: seconds, pump: pump) { _ in !self.process.isRunning }
    }

    /// Ends the peer: SIGTERM, then SIGKILL after a short grace. The grace matters: a child
    /// inherits the signal mask of the thread that spawned it, the test threads block SIGTERM,
    /// and a peer that never unblocks it (coap-server 4.3.1) would never see the SIGTERM.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let grace = Date().addingTimeInterval(0.2)
        while process.isRunning && Date() < grace { usleep(2_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// The directory of the Python peers shipped beside these tests.
    static let peersDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peers")

    /// True when `name` is on PATH; interop tests fail loudly (not skip) when a peer is missing,
    /// because `make test` installs them.
    static func exists(_ name: String) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sh", "-c", "command -v \(name)"]
        p.standardOutput = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
