import Foundation
import Runtime

/// The console end to end: the release `bc260` in a pseudo-terminal (``ConsoleProcess``), timed
/// by the bytes ncurses writes to it. First full frame from spawn; keystroke to the last byte
/// of its redraw; and on the serial backend (`--port` on a pty the bench plays the module on),
/// 1,000,000 URC lines through the log, then page by page through what the cap kept, with the
/// child's resident memory along the way.
enum ConsoleTerminalBench {
    /// Latencies in seconds.
    struct Latencies {
        var samples: [Double]
        private var sorted: [Double] { samples.sorted() }
        var median: Double { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }
        var p99: Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
        var worst: Double { sorted.last ?? 0 }
    }

    struct Result {
        /// Spawn to the end of the first frame, per window size ("200x60").
        var firstFrames: [(size: String, latencies: Latencies)]
        var keystroke: Latencies
        var lines: Int
        /// Wall time for the console to take in all `lines` (read, parse, log, draw), summed
        /// over the blocks between memory samples.
        var ingestSeconds: Double
        var paging: Latencies
        /// VmRSS at start, when the log reached its cap, and after all lines.
        var residentStart: Int
        var residentAtCap: Int
        var residentAfter: Int
        /// The highest of the samples taken every `capacity` lines after the cap.
        var residentPeakAfterCap: Int
        var capacity: Int
    }

    /// The console's default `--log-cap`.
    static let capacity = 100_000
    /// What the first frame ends with (the help bar, drawn last) and the panes' titles.
    static let frameMarkers = ["AT log", "LwM2M status", "Objects", "AT command", "Quit"]
    static let typed = #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#

    static func run(bc260: String, lines: Int = 1_000_000, pages: Int = 300, spawns: Int = 5) throws -> Result {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-console-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let home = workspace + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        func emulator(width: Int, height: Int) throws -> ConsoleProcess {
            try ConsoleProcess(bc260: bc260, arguments: ["--state", workspace + "/state"], width: width, height: height, home: home)
        }

        // First frame: a fresh process each time (the emulator loads its state, ncurses starts).
        var firstFrames: [(String, Latencies)] = []
        for (width, height) in [(200, 60), (80, 24)] {
            var times: [Double] = []
            for _ in 0..<spawns {
                let console = try emulator(width: width, height: height)
                defer { console.stop() }
                times.append(try console.waitForScreen(containing: frameMarkers) - console.spawnedAt)
            }
            firstFrames.append(("\(width)x\(height)", Latencies(samples: times)))
        }

        // Keystroke to screen: an AT line typed key by key, then Ctrl-U, five times over.
        var keys = Latencies(samples: [])
        do {
            let console = try emulator(width: 200, height: 60)
            defer { console.stop() }
            _ = try console.waitForScreen(containing: frameMarkers)
            console.recording = false
            for _ in 0..<5 {
                for character in typed.utf8 { keys.samples.append(try console.press([character])) }
                keys.samples.append(try console.press([0x15]))
            }
        }

        // The serial backend with a 1,000,000-line log.
        let module = try PseudoTerminal()
        defer { module.close() }
        let console = try ConsoleProcess(bc260: bc260, arguments: ["--port", module.slavePath, "--state", workspace + "/serial-state"],
                                         width: 200, height: 60, home: home)
        defer { console.stop() }
        _ = try console.waitForScreen(containing: frameMarkers + ["connected"])
        console.recording = false
        let residentStart = console.residentBytes
        // In blocks of `capacity` lines, memory sampled between them (the pauses not timed).
        var samples: [Int] = []
        var ingestSeconds = 0.0
        var written = 0
        while written < lines {
            let count = min(capacity, lines - written)
            let block = urcs(from: written, count: count)
            let start = Measure.now()
            try feed(block, to: module, draining: console)
            ingestSeconds += try waitConsumed(module: module, console: console) - start
            written += count
            samples.append(console.residentBytes)
        }

        // Page up through what the cap kept, then back down.
        var paging = Latencies(samples: [])
        for key in Array(repeating: Array("\u{1B}[5~".utf8), count: pages) + Array(repeating: Array("\u{1B}[6~".utf8), count: pages) {
            paging.samples.append(try console.press(key))
        }
        return Result(firstFrames: firstFrames, keystroke: keys, lines: lines, ingestSeconds: ingestSeconds, paging: paging,
                      residentStart: residentStart, residentAtCap: samples.first ?? 0, residentAfter: samples.last ?? 0,
                      residentPeakAfterCap: samples.max() ?? 0, capacity: capacity)
    }

    /// `count` URC lines as a module prints them, numbered from `first`: pings, report and
    /// send acknowledgements with their message ids, and a registration update's result.
    static func urcs(from first: Int, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 36)
        for i in first..<(first + count) {
            let line = switch i % 4 {
            case 0: #"+QLAURC: "ping",0"#
            case 1: #"+QLAURC: "report_ack",0,\#(i % 65536)"#
            case 2: #"+QLAURC: "send_ack",0,\#(i % 65536)"#
            default: "+QLAUPDATE: 0"
            }
            bytes += Array("\r\n\(line)\r\n".utf8)
        }
        return bytes
    }

    /// Writes `bytes` into the module's side as fast as the console takes them, reading the
    /// console's terminal meanwhile (a console blocked on its output reads no more).
    static func feed(_ bytes: [UInt8], to module: PseudoTerminal, draining console: ConsoleProcess) throws {
        var offset = 0
        var lastProgress = Measure.now()
        while offset < bytes.count {
            let taken = try module.write(Array(bytes[offset..<min(bytes.count, offset + 16384)]))
            offset += taken
            var descriptors = [pollfd(fd: console.fileDescriptor, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: module.fileDescriptor, events: Int16(POLLOUT), revents: 0)]
            if taken == 0 { _ = poll(&descriptors, 2, 100) }
            if try console.readAvailable() > 0 || taken > 0 { lastProgress = Measure.now() }
            if Measure.now() - lastProgress > 10 {
                throw ConsoleProcess.failure("the console took no input and drew nothing for 10 s (\(offset) of \(bytes.count) bytes in)")
            }
        }
    }

    /// Waits until the console has read everything written to the module's side and its
    /// screen is quiet again; returns when the last of that happened (the input drained or
    /// the last byte drawn).
    static func waitConsumed(module: PseudoTerminal, console: ConsoleProcess) throws -> Double {
        let deadline = Measure.now() + 30
        var done = 0.0
        repeat {
            while module.unreadOutputCount > 0 {
                if console.waitReadable(seconds: 0.001) { try console.readAvailable() }
                if Measure.now() > deadline { throw ConsoleProcess.failure("\(module.unreadOutputCount) bytes still unread after 30 s") }
            }
            let drained = Measure.now()
            done = max(drained, try console.settle() ?? drained)
        } while module.unreadOutputCount > 0
        return done
    }
}
