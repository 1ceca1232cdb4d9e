import CoAP
import Foundation
import ModuleCore
import Platforms
import Testing
@testable import Console

/// F5: the session saved as an `.at` script that `bc260 run` replays, checked by parsing it
/// and playing it against a fresh emulated module.
@Suite struct TranscriptScriptTests {
    /// The console over an emulated module in virtual time.
    struct Session {
        var device = EmulatorATDevice()
        var state = ConsoleState()
        var now = Instant.zero

        init() {
            state.received(device.powerOn(now: now).bytes, now: now)
        }

        /// Types `line` and presses Enter; what the console sends goes to the module.
        mutating func type(_ line: String) {
            _ = state.handle(.control("u"), now: now)
            for c in line { _ = state.handle(.character(c), now: now) }
            enter()
        }

        mutating func enter() {
            for action in state.handle(.enter, now: now) {
                if case .send(let text) = action { state.received(device.receive(bytes: Array((text + "\r").utf8), now: now).bytes, now: now) }
            }
            settle(for: 500)
        }

        /// Lets virtual time run for `milliseconds`, or until `until` holds.
        mutating func settle(for milliseconds: Int64, until: (ConsoleState) -> Bool = { _ in false }) {
            let end = now + milliseconds
            while now < end, !until(state) {
                let next = min(end, max(now + 1, device.nextDeadline ?? end))
                now = next
                state.received(device.advance(to: now).bytes, now: now)
            }
        }
    }

    @Test func aSavedSessionParsesAndReplaysAgainstTheEmulator() throws {
        var session = Session()
        session.settle(for: 200)
        for line in ["AT+QLASTATUS?", #"AT+QLACFG="platform",0"#,
                     #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAADDOBJ=19,1,1,0", "AT+QLAREG"] {
            session.type(line)
        }
        session.settle(for: 60_000) { !$0.model.pending.isEmpty }
        #expect(session.state.model.pending.first?.operation == .observe)
        // The console offered the answer, message id filled in: send it as offered.
        #expect(session.state.editor.text.hasPrefix("AT+QLAOBSRSP="))
        session.enter()
        session.type("AT+QLASTATUS?")
        guard let mid = session.state.model.log.entries.compactMap(\.messageID).first else {
            Issue.record("no request URC")
            return
        }

        let actions = session.state.handle(.function(5), now: session.now)
        guard case .saveScript(let text) = actions.first else {
            Issue.record("F5 gave \(actions)")
            return
        }
        print(text)
        #expect(text.contains(#"+QLAURC: "observe",{mid},0,19,0,0"#))
        #expect(text.contains("AT+QLAOBSRSP={mid},"))
        #expect(!text.contains("\"observe\",\(mid),") && !text.contains("OBSRSP=\(mid),"), "the message id is captured, never written")
        #expect(text.contains("? RDY"), "the banner is optional")
        #expect(text.contains("+QLASTATUS: 2"))
        let script = try ScriptParser.parse(text, file: "session.at")
        #expect(script.requiredExpectationCount >= 12)
        var run = VirtualScriptRun(script: script, device: EmulatorATDevice(), millisecondsPerLine: 5)
        let verdict = run.run()
        #expect(verdict.passed, "\(verdict)")
        // The same script against a module that refuses the registration fails.
        let broken = text.replacingOccurrences(of: "+QLAREG: 0", with: "+QLAREG: 1")
        var failing = VirtualScriptRun(script: try ScriptParser.parse(broken, file: "session.at"), device: EmulatorATDevice(),
                                       millisecondsPerLine: 5)
        #expect(!failing.run().passed)
    }

    @Test func linesThatReadAsDirectivesOrPlaceholdersAreEscaped() throws {
        var log = SessionLog()
        let lines: [(LogEntry.Kind, String, Int64?)] = [
            (.result, "RDY", nil), (.command, "ATE0", nil), (.ok, "OK", nil),
            (.command, "hello {name}", nil), (.result, "wait 5s", nil), (.result, "AT+ECHO", nil),
            (.result, "{json} \\{", nil), (.note, "link connected", nil), (.error, "(an unreadable line: NUL)", nil),
            (.urc, #"+QLAURC: "report",7"#, nil), (.urc, #"+QLAURC: "report_ack",0,7"#, nil),
            (.urc, #"+QLAURC: "read",42,19,0,0"#, 42), (.command, "AT+QLARDRSP=42,1,19,0,0,1,1,\"1\",0", nil),
        ]
        for (i, line) in lines.enumerated() {
            log.append { LogEntry(sequence: $0, at: Instant(milliseconds: Int64(i) * 100), kind: line.0, text: line.1, messageID: line.2) }
        }
        let text = TranscriptScript.text(of: log)
        #expect(text == """
            # A bc260 console session as a script: `bc260 run FILE.at` replays it.
            ? RDY
            ATE0
            OK
            > hello \\{name}
            < wait 5s
            < AT+ECHO
            \\{json} \\\\{
            # link connected
            # (an unreadable line: NUL)
            +QLAURC: "report",{report}
            +QLAURC: "report_ack",0,{=report}
            +QLAURC: "read",{mid},19,0,0
            AT+QLARDRSP={mid},1,19,0,0,1,1,"1",0

            """)
        let script = try ScriptParser.parse(text, file: "t.at")
        #expect(script.steps.count == 11)
    }

    @Test func requestsAnsweredOutOfOrderKeepTheirOwnCaptures() throws {
        var log = SessionLog()
        let lines: [(LogEntry.Kind, String, Int64?)] = [
            (.command, "AT+QLAREG", nil), (.ok, "OK", nil),
            (.urc, #"+QLAURC: "read",100,19,0,0"#, 100), (.urc, #"+QLAURC: "write",200,19,1,0,2,1,"01",0"#, 200),
            (.command, "AT+QLAWRRSP=200,2", nil), (.ok, "OK", nil),
            (.command, #"AT+QLARDRSP=100,1,19,0,0,1,1,"7",0"#, nil), (.ok, "OK", nil),
            (.command, "AT+QLASTATUS=100", nil),
        ]
        for (i, line) in lines.enumerated() {
            log.append { LogEntry(sequence: $0, at: Instant(milliseconds: Int64(i) * 10), kind: line.0, text: line.1, messageID: line.2) }
        }
        let text = TranscriptScript.text(of: log)
        #expect(text.contains(#"+QLAURC: "read",{mid},19,0,0"#))
        #expect(text.contains(#"+QLAURC: "write",{mid2},19,1,0,2,1,"01",0"#))
        #expect(text.contains("AT+QLAWRRSP={mid2},2"))
        #expect(text.contains(#"AT+QLARDRSP={mid},1,19,0,0,1,1,"7",0"#))
        #expect(text.contains("AT+QLASTATUS=100\n"), "only answer commands carry a message id")
        _ = try ScriptParser.parse(text, file: "t.at")
    }

    @Test func aSlowAnswerWaitsLonger() {
        var log = SessionLog()
        log.append { LogEntry(sequence: $0, at: .zero, kind: .command, text: "AT+QLAREG") }
        log.append { LogEntry(sequence: $0, at: Instant(milliseconds: 50), kind: .ok, text: "OK") }
        log.append { LogEntry(sequence: $0, at: Instant(milliseconds: 20_000), kind: .result, text: "+QLAREG: 0") }
        #expect(TranscriptScript.text(of: log).hasSuffix("OK\nwait 50s for +QLAREG: 0\n"))
    }

    @Test func theLogFileGetsEachLineOnceAsItHappens() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-log-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var model = SessionModel(logCapacity: 3)
        let file = try #require(SessionLogFile(path: path, clockOrigin: 3_600_000, header: "test"))
        model.sent("AT", at: Instant(milliseconds: 1_500))
        file.write(model.log)
        model.received("OK", at: Instant(milliseconds: 1_520))
        file.write(model.log)
        file.write(model.log)
        for i in 0..<5 { model.received(#"+QLAURC: "ping",\#(i)"#, at: Instant(milliseconds: 2_000)) }
        file.write(model.log)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            # test
            01:00:01.500 > AT
            01:00:01.520 < OK
            # (2 lines dropped by the log cap before they were written)
            01:00:02.000 * +QLAURC: "ping",2
            01:00:02.000 * +QLAURC: "ping",3
            01:00:02.000 * +QLAURC: "ping",4

            """)
    }
}
