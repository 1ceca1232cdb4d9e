import Foundation

/// A third-party peer (libcoap's binaries, a Python aiocoap script) run as a child process.
/// Its stdout is collected line by line so a test can wait for what it printed.
final class PeerProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var collected: [String] = []
    private let input = Pipe()
    private var outputEnded = false

    /// Runs `executable` (looked up on PATH, or a path) with `arguments`; stderr joins stdout.
    /// With `interactive`, its stdin is a pipe that `send` writes to; otherwise /dev/null.
    init(_ executable: String, _ arguments: [String], interactive: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = interactive ? input : FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            guard !data.isEmpty else {
                // End of output: stop watching, so the last lines are all in before `exited`.
                handle.readabilityHandler = nil
                self.lock.withLock { self.outputEnded = true }
                return
            }
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

    /// Writes `line` and a newline to the process's stdin (interactive processes only).
    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
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
        waitFor(seconds: seconds, pump: pump) { _ in
            !self.process.isRunning && self.lock.withLock { self.outputEnded }
        }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }

    /// The directory of the Python peers shipped beside these tests.
    static let peersDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peers")

    /// True when `name` is on PATH; interop tests fail loudly (not skip) when a peer is missing,
    /// because `make test` installs them.
    /// The `bc260` executable of this build (`make test` builds it before testing).
    static let bc260: String = {
        var dir = URL(fileURLWithPath: #filePath)
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent(".build/debug/bc260").path
    }()

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
