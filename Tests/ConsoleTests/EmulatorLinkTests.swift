import Runtime
import Testing
@testable import Console

@Suite struct EmulatorLinkTests {
    /// The embedded emulator behind the link: power-up banner, a status query, and a CT IoT
    /// registration answered by the embedded platform, all seen only as bytes on the link.
    @Test func theEmulatorAnswersLinesAndRegistersWithTheEmbeddedPlatform() throws {
        let loop = EventLoop()
        let link = try EmulatorLink(loop: loop, stateDirectory: nil)
        var state = ConsoleState()
        link.onBytes = { state.received($0, now: loop.now) }
        link.onStatus = { description, note in
            state.setLink(description)
            if let note { state.note(note, now: loop.now) }
        }
        link.start()
        #expect(state.model.log.entries.map(\.text).contains("+CPIN: READY"))
        for line in ["AT+QLASTATUS?", #"AT+QLACFG="platform",0"#, #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAREG"] {
            state.model.sent(line, at: loop.now)
            link.send(line: line)
        }
        try loop.run(until: { !state.model.pending.isEmpty }, timeout: 5_000)
        #expect(state.model.status.lwm2m == .registered)
        #expect(state.model.pending.first?.operation == .observe)
        #expect(state.editor.text.hasPrefix("AT+QLAOBSRSP="))
        link.stop()
    }

    /// A server name that does not resolve: the module can only say `+QLAREG: 1`; the reason
    /// is a note in the log.
    @Test func aNameThatDoesNotResolveIsANote() throws {
        let loop = EventLoop()
        let link = try EmulatorLink(loop: loop, stateDirectory: nil)
        var state = ConsoleState()
        link.onBytes = { state.received($0, now: loop.now) }
        link.onStatus = { _, note in if let note { state.note(note, now: loop.now) } }
        link.start()
        for line in [#"AT+QLACFG="retransmit",2,0"#, #"AT+QLACONFIG=0,"nowhere.invalid",5683,"867724030023557",300,3"#, "AT+QLAREG"] {
            state.model.sent(line, at: loop.now)
            link.send(line: line)
        }
        let noted = { state.model.log.entries.contains { $0.kind == .note && $0.text.contains("nowhere.invalid:5683 is dropped") } }
        try loop.run(until: noted, timeout: 5_000)
        #expect(noted(), "\(state.model.log.entries.map(\.text))")
        link.stop()
    }
}
