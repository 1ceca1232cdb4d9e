import Glibc
@testable import Runtime
import TestSupport

// Helpers for the pty and serial tests. Waits are bounded `poll` calls, never sleeps; real
// processes (socat, python3) get bounded real-time waits (TestSupport has both).

/// A client of a terminal device: a plain non-blocking descriptor that never touches termios
/// unless asked, like `cat` or a program that trusts the current settings.
final class TerminalClient {
    let fd: Int32
    let path: String

    init(path: String) throws(SerialPortError) {
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError.system(call: "open", path: path, errno: errno) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    func write(_ bytes: ArraySlice<UInt8>) -> Int {
        let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return max(0, count)
    }

    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}

/// Moves `bytes` from a sender to a receiver, writing what the kernel takes and reading what
/// arrives until everything came through or `milliseconds` passed; returns what arrived.
/// Interleaving matters: 4 KiB may not fit the pty's queue in one write.
func transfer(_ bytes: [UInt8], send: (ArraySlice<UInt8>) throws -> Int,
              receiveFD: Int32, receive: () throws -> [UInt8]?,
              milliseconds: Int64 = 5000) throws -> [UInt8] {
    let deadline = monotonicMilliseconds() + milliseconds
    var sent = 0
    var received: [UInt8] = []
    while received.count < bytes.count, monotonicMilliseconds() < deadline {
        if sent < bytes.count { sent += try send(bytes[sent...]) }
        if waitFor(receiveFD, milliseconds: 20) {
            while let chunk = try receive() { received += chunk }
        }
    }
    return received
}

/// What a path is right now: nil when nothing is there.
func symlinkTarget(_ path: String) -> String? { PseudoTerminal.linkTarget(path) }

func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// A null-modem pair from socat: two pty slaves behind the symlinks `linkA` and `linkB`.
final class SocatPair {
    let linkA: String
    let linkB: String
    private var process: ChildProcess?

    init(linkA: String, linkB: String) {
        self.linkA = linkA
        self.linkB = linkB
    }

    deinit { stop() }

    /// Starts socat and waits until its links exist (it says so before its transfer loop).
    func start() throws -> Bool {
        let process = try ChildProcess(executable: "/usr/bin/socat", ["-d", "-d",
                                       "pty,raw,echo=0,link=\(linkA)", "pty,raw,echo=0,link=\(linkB)"], mergingErrors: true)
        self.process = process
        return process.waitForOutput(containing: "starting data transfer loop")
    }

    /// Stops socat with SIGTERM (it removes its links on the way out) and waits for it.
    @discardableResult
    func stop() -> Bool {
        guard let process else { return true }
        self.process = nil
        return process.terminate() != nil
    }
}

/// Whether `python3` is here at all, and whether it has pyserial.
let python3Available: Bool = ChildProcess.exitedCleanly(try? ChildProcess(executable: "python3", ["-c", "pass"]).waitForExit())
let pyserialAvailable: Bool = ChildProcess.exitedCleanly(try? ChildProcess(executable: "python3", ["-c", "import serial"]).waitForExit())
