import ATProtocol
import CoAP
import Testing
@testable import ModuleCore

/// The pieces under `bc260 run` and `bc260 serve`: pacing, and the datagram hook of a virtual run.
@Suite("Script devices")
struct ScriptDeviceTests {
    static func at(_ milliseconds: Int64) -> Instant { Instant(milliseconds: milliseconds) }

    // MARK: Pacing

    @Test func pacingCutsOutputIntoLinesAndSpacesThem() {
        var pacing = ResponsePacing(millisecondsPerLine: 5)
        pacing.schedule(Array("AT\r\r\nOK\r\n".utf8), now: Self.at(100))
        #expect(pacing.nextDeadline == Self.at(105))
        #expect(pacing.due(at: Self.at(104)).isEmpty)
        #expect(pacing.due(at: Self.at(105)) == Array("AT\r".utf8), "the echo first")
        // More output while lines still wait queues behind them.
        pacing.schedule(Array("\r\n+QLAURC: \"ping\",0\r\n".utf8), now: Self.at(106))
        #expect(pacing.due(at: Self.at(110)) == Array("\r\nOK\r\n".utf8))
        #expect(pacing.nextDeadline == Self.at(115))
        #expect(pacing.flush() == Array("\r\n+QLAURC: \"ping\",0\r\n".utf8))
        #expect(pacing.isEmpty)
        // After a quiet spell the next line leaves 5 ms after it is produced.
        pacing.schedule(Array("\r\nOK\r\n".utf8), now: Self.at(1_000))
        #expect(pacing.nextDeadline == Self.at(1_005))
    }

    @Test func pacingKeepsBytesWhole() {
        let text = "\r\nRDY\r\n\r\n+CFUN: 1\r\nAT\rpartial"
        #expect(ResponsePacing.lines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
                == ["\r\nRDY\r\n", "\r\n+CFUN: 1\r\n", "AT\r", "partial"])
        var instant = ResponsePacing(millisecondsPerLine: 0)
        instant.schedule(Array(text.utf8), now: Self.at(7))
        #expect(instant.due(at: Self.at(7)) == Array(text.utf8), "0 ms: everything at once")
        #expect(ResponsePacing.lines([]).isEmpty)
        #expect(ResponsePacing.lines(Array("\n\n\r".utf8)) == [Array("\n\n\r".utf8)])
    }

    // MARK: Datagrams in a virtual run

    /// TEST DOUBLE: a device that turns `AT+PING=<text>` into a datagram to 192.0.2.9:5683 and
    /// prints each datagram that comes back as `+PONG: <text>`.
    struct PingDevice: ATDevice {
        var framer = LineFramer.commandInput()
        let server = PeerAddress(host: "192.0.2.9", port: 5683)

        mutating func powerOn(now: Instant) -> ATDeviceOutput { ATDeviceOutput(bytes: Array("\r\nRDY\r\n".utf8)) }

        mutating func receive(bytes: [UInt8], now: Instant) -> ATDeviceOutput {
            var output = ATDeviceOutput()
            for line in framer.append(bytes) {
                guard let text = line.text, text.hasPrefix("AT+PING=") else { continue }
                output.bytes += Array("\r\nOK\r\n".utf8)
                output.datagrams.append(Datagram(Array(text.dropFirst(8).utf8), peer: server))
            }
            return output
        }

        mutating func receive(datagram: Datagram, now: Instant) -> ATDeviceOutput {
            ATDeviceOutput(bytes: Array("\r\n+PONG: \(String(decoding: datagram.bytes, as: UTF8.self)) from \(datagram.peer.host)\r\n".utf8))
        }

        mutating func advance(to now: Instant) -> ATDeviceOutput { ATDeviceOutput() }
        var nextDeadline: Instant? { nil }
    }

    /// TEST DOUBLE: a far side that answers "fast" at once and anything else 2 s later, upper-cased.
    struct SlowEcho: DatagramNode {
        var held: [(at: Instant, datagram: Datagram)] = []

        mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
            let answer = Datagram(Array(String(decoding: datagram.bytes, as: UTF8.self).uppercased().utf8), peer: datagram.peer)
            if datagram.bytes == Array("fast".utf8) { return [answer] }
            held.append((now + 2_000, answer))
            return []
        }

        mutating func advance(to now: Instant) -> [Datagram] {
            let due = held.filter { $0.at <= now }.map(\.datagram)
            held.removeAll { $0.at <= now }
            return due
        }

        var nextDeadline: Instant? { held.map(\.at).min() }
    }

    @Test func aVirtualRunCarriesDatagramsToTheFarSideAndBack() throws {
        let script = try ScriptParser.parse("""
        RDY
        AT+PING=fast
        OK
        +PONG: FAST from {host}
        AT+PING=slow
        OK
        wait 3s for +PONG: SLOW from {=host}
        """, file: "t.at")
        var run = VirtualScriptRun(script: script, device: PingDevice(), farSide: SlowEcho())
        let verdict = run.run()
        #expect(verdict == .passed(at: Self.at(2_000)))
        #expect(run.runner.captures["host"] == "192.0.2.9")
    }

    @Test func aRunThatCannotSettleFails() throws {
        // The step limit stops a run that would spin; it names the line the script was at.
        var run = VirtualScriptRun(script: try ScriptParser.parse("RDY\nwait 1h for NEVER\n", file: "t.at"), device: PingDevice())
        run.stepLimit = 0
        let failure = try #require(run.run().failure)
        #expect(failure.reason.contains("did not settle"))
        #expect(failure.location.line == 2)
        // With room to run, the same script fails at its timeout, an hour later in virtual time.
        var patient = VirtualScriptRun(script: try ScriptParser.parse("RDY\nwait 1h for NEVER\n", file: "t.at"), device: PingDevice())
        #expect(patient.run().failure?.at == Self.at(3_600_001))
    }
}
