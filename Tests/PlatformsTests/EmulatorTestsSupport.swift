import CoAP
import LwM2M
import ModuleCore
@testable import Platforms

/// An ``Emulator`` driven in virtual time the way `bc260 run` drives it: type a line, let time
/// run to the next deadline and on, read the module's lines back.
struct EmulatorBench {
    var emulator: Emulator
    var now: Instant = .zero
    /// Every line the module printed, in order (empty lines dropped).
    private(set) var transcript: [String] = []
    private(set) var platformLines: [Emulator.LogLine] = []
    private(set) var diagnostics: [String] = []
    private(set) var savedState: ModuleState?
    private(set) var external: [Datagram] = []
    private var unread: [String] = []
    private var partial: [UInt8] = []

    init(_ configuration: Emulator.Configuration = Emulator.Configuration()) {
        emulator = Emulator(configuration: configuration)
        record(emulator.powerOn(now: now))
    }

    /// Types `line` and CR now, lets `settle` ms pass; returns the lines printed since the last call.
    @discardableResult
    mutating func type(_ line: String, settle: Int64 = 100) -> [String] {
        record(emulator.receive(atBytes: Array((line + "\r").utf8), now: now))
        return run(for: settle)
    }

    /// Lets `milliseconds` of virtual time pass, stopping at every deadline on the way.
    @discardableResult
    mutating func run(for milliseconds: Int64) -> [String] {
        let end = now + milliseconds
        var guardCount = 0
        while let due = emulator.nextDeadline, due <= end, guardCount < 100_000 {
            guardCount += 1
            now = max(now, due)
            emulator.advance(to: now)
            collect()
        }
        now = end
        collect()
        return take()
    }

    /// Runs a platform console line; returns its reply's lines.
    @discardableResult
    mutating func platform(_ line: String, on profile: PlatformProfile) -> [String] {
        let reply = emulator.perform(line: line, on: profile, now: now)
        collect()
        return reply?.lines ?? ["(no \(profile) platform)"]
    }

    /// Platform log texts not read yet by this call.
    mutating func takePlatformTexts() -> [String] {
        defer { platformLines = [] }
        return platformLines.map(\.line.text)
    }

    mutating func takeExternal() -> [Datagram] {
        defer { external = [] }
        return external
    }

    mutating func collect() {
        record(emulator.takeATOutput())
        platformLines += emulator.takePlatformLines()
        diagnostics += emulator.takeDiagnostics()
        if let s = emulator.takeStateToSave() { savedState = s }
        external += emulator.takeExternalDatagrams()
    }

    private mutating func record(_ bytes: [UInt8]) {
        // Lines end at CR or LF; a line still open waits for the rest.
        for b in bytes {
            if b == 0x0D || b == 0x0A {
                if !partial.isEmpty {
                    let line = String(decoding: partial, as: UTF8.self)
                    transcript.append(line)
                    unread.append(line)
                    partial = []
                }
            } else {
                partial.append(b)
            }
        }
    }

    private mutating func take() -> [String] {
        defer { unread = [] }
        return unread
    }
}

/// The field at `index` (0-based, after the colon) of a URC such as
/// `+QLAURC: "observe",23618,0,19,0,0`, as an integer.
func urcField(_ line: String, _ index: Int) -> Int? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let fields = line[line.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
    guard index < fields.count else { return nil }
    return Int(fields[index].filter { $0 != " " })
}
