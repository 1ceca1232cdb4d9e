import Foundation
import Runtime

/// The `atcommands` mix through a real `bc260 serve --pty --latency 0` process, over its
/// pseudo-terminal opened with our ``SerialPort``, one command in flight: write a command, read
/// until its final `OK`, write the next. Registration and the observe answer go first, as in
/// the in-process bench.
enum PtyBench {
    static func run(bc260: String, seconds: Double = 1.0) throws -> Double {
        let server = try ServedModule(bc260: bc260)
        defer { server.stop() }
        let port = try SerialPort(path: server.terminal)
        defer { port.close() }
        var link = PortLines(port: port)

        let imei = "867724030023557"  // serve's default identity
        for line in ["AT+QSCLK=0", #"AT+QLACFG="platform",0"#,
                     #"AT+QLACONFIG=0,"180.101.147.115",5683,"\#(imei)",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAADDOBJ=19,1,1,0", "AT+QLAREG"] {
            _ = try link.command(line)
        }
        let urc = try link.readLine(startingWith: #"+QLAURC: "observe","#)
        guard let mid = urc.split(separator: ",").dropFirst().first.flatMap({ Int($0) }) else {
            throw ATCommandBench.Failure(description: "pty: unreadable observe URC \(urc)")
        }
        _ = try link.command(#"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#)

        let commands = ATCommandBench.mix.map { Array(($0 + "\r").utf8) }
        var failure: Error?
        let rate = Measure.rate(seconds: seconds) { n in
            var ok = 0
            for i in 0..<n where failure == nil {
                do {
                    try link.command(commands[i % commands.count])
                    ok += 1
                } catch {
                    failure = error
                }
            }
            return ok
        }
        if let failure { throw failure }
        return rate
    }
}

/// `bc260 serve --pty --latency 0` as a child process with its own state directory; the
/// terminal's path is the first line it prints.
final class ServedModule {
    let process = Process()
    let terminal: String
    private let stateDirectory: URL

    init(bc260: String) throws {
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-bench-\(getpid())")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: bc260)
        process.arguments = ["serve", "--pty", "--latency", "0", "--state", stateDirectory.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while line.last != 0x0A {
            let data = out.fileHandleForReading.readData(ofLength: 1)
            if data.isEmpty { break }
            line += data
        }
        terminal = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard terminal.hasPrefix("/dev/") else {
            process.terminate()
            throw ATCommandBench.Failure(description: "bc260 serve printed no terminal path (got '\(terminal)')")
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

/// Lines over a ``SerialPort``: writes a command, polls until the answer's final result.
struct PortLines {
    let port: SerialPort
    /// Bytes read and not yet consumed (URCs after an `OK`, a part of the next line).
    private var buffer: [UInt8] = []
    var timeoutMilliseconds: Int32 = 10_000

    init(port: SerialPort) { self.port = port }

    /// Sends `bytes` (a command and its CR) and reads up to and including the `OK` line;
    /// throws on `ERROR` or a timeout.
    mutating func command(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = try port.write(bytes[offset...])
            if n == 0 { try wait(events: Int16(POLLOUT)) }
            offset += n
        }
        while true {
            if let end = ByteSearch.end(of: ATSession.okLine, in: buffer) {
                buffer.removeFirst(end)
                return
            }
            if ByteSearch.end(of: Array("ERROR".utf8), in: buffer) != nil {
                throw ATCommandBench.Failure(description: "pty: \(String(decoding: buffer, as: UTF8.self).debugDescription)")
            }
            try fill()
        }
    }

    mutating func command(_ line: String) throws { try command(Array((line + "\r").utf8)) }

    /// Reads until a whole line starting with `prefix` arrived; returns it.
    mutating func readLine(startingWith prefix: String) throws -> String {
        while true {
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: "\r\n" + prefix) ?? (text.hasPrefix(prefix) ? text.range(of: prefix) : nil),
               let end = text[range.upperBound...].range(of: "\r\n") {
                let line = String(text[range.lowerBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
                buffer = Array(text[end.upperBound...].utf8)
                return line
            }
            try fill()
        }
    }

    private mutating func fill() throws {
        if let bytes = try port.read() {
            buffer += bytes
        } else {
            try wait(events: Int16(POLLIN))
        }
    }

    private func wait(events: Int16) throws {
        var pfd = pollfd(fd: port.fileDescriptor, events: events, revents: 0)
        let r = poll(&pfd, 1, timeoutMilliseconds)
        if r == 0 { throw ATCommandBench.Failure(description: "pty: no answer within \(timeoutMilliseconds) ms; have \(String(decoding: buffer, as: UTF8.self).debugDescription)") }
        if r < 0, errno != EINTR { throw ATCommandBench.Failure(description: "pty: poll failed, errno \(errno)") }
    }
}
