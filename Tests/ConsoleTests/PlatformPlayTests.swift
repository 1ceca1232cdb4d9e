import CoAP
import ModuleCore
import Platforms
import Runtime
import Testing
@testable import Console

/// `:` lines: parsing, choosing the platform, and the URC they cause, in virtual time against
/// the ``Emulator`` and in real time through ``EmulatorLink``.
@Suite struct PlatformPlayTests {
    @Test func aColonLineIsParsedWithOrWithoutAPlatformPrefix() throws {
        #expect(PlatformPlay("AT+QLAREG") == nil)
        #expect(PlatformPlay("read 1 /19/0/0") == nil)
        let plain = try #require(PlatformPlay(":read 1 /19/0/0"))
        #expect(plain.explicitProfile == nil && plain.command == "read 1 /19/0/0")
        let aep = try #require(PlatformPlay("  : aep  observe 1 /19/0/0"))
        #expect(aep.explicitProfile == .ctAEP && aep.command == "observe 1 /19/0/0")
        #expect(PlatformPlay(":andlink list")?.explicitProfile == .andlink)
        #expect(PlatformPlay(":ct")?.explicitProfile == .ctIoT)
        #expect(PlatformPlay(":ct")?.command == "")
        // `generic` runs nowhere in the emulator: it is not a prefix, just an unknown command.
        #expect(PlatformPlay(":generic list")?.explicitProfile == nil)
    }

    /// Registers the emulated module with CT IoT and returns the console fed with everything.
    static func registeredRig() throws -> WalkthroughTests.Rig {
        var rig = try WalkthroughTests.Rig(.ct)
        for line in ["AT+QLACFG=\"platform\",0", "AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3",
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAREG"] {
            rig.press(.control("u"))
            rig.type(line)
            rig.press(.enter)
        }
        rig.run(while: { $0.state.model.pending.isEmpty }, limit: 30_000)
        return rig
    }

    @Test func aReadFromThePlatformTheModuleIsRegisteredWithArrivesAsAURC() throws {
        var rig = try Self.registeredRig()
        #expect(PlatformPlay.registeredProfile(in: rig.emulator) == .ctIoT)
        rig.press(.control("u"))
        rig.type(":read 1 /19/0/0")
        rig.press(.enter)
        // The line is not sent to the module; the platform's reply is in the log.
        #expect(!rig.sentLines.contains(":read 1 /19/0/0"))
        rig.run(while: { !$0.state.model.pending.contains { $0.operation == .read } }, limit: 10_000)
        let log = rig.state.model.log.entries
        #expect(log.contains { $0.kind == .note && $0.text.hasPrefix("ct: #") && $0.text.lowercased().contains("read") }, "\(log.map(\.text).suffix(8))")
        let urc = try #require(log.last { $0.kind == .urc && $0.text.hasPrefix("+QLAURC: \"read\"") })
        #expect(urc.text.hasSuffix(",19,0,0"))
        let request = try #require(rig.state.model.pending.last)
        #expect(request.operation == .read && urc.messageID == request.messageID)
    }

    @Test func withoutARegistrationTheLineSaysHowToPickAPlatform() throws {
        var rig = try WalkthroughTests.Rig(.ct)
        rig.press(.control("u"))
        rig.type(":read 1 /19/0/0")
        rig.press(.enter)
        #expect(rig.state.model.log.last?.text.contains(":ct, :aep or :andlink") == true)
        rig.press(.control("u"))
        rig.type(":aep list")
        rig.press(.enter)
        #expect(rig.state.model.log.last?.text.hasPrefix("aep: no clients registered with CT AEP") == true)
    }

    @Test func onASerialBackendAColonLineIsRefusedWithAReason() {
        var state = ConsoleState()
        for c in ":list" { _ = state.handle(.character(c), now: .zero) }
        let actions = state.handle(.enter, now: .zero)
        #expect(actions.isEmpty)
        #expect(state.model.log.last?.kind == .note)
        #expect(state.model.log.last?.text.contains("only for the emulator backend") == true)
    }

    /// Through the real link on the event loop: the echo, the reply and the URC reach the log.
    @Test func theEmulatorLinkPlaysTheLineOnItsHost() throws {
        let loop = EventLoop()
        let link = try EmulatorLink(loop: loop, stateDirectory: nil)
        var state = ConsoleState()
        link.onBytes = { state.received($0, now: loop.now) }
        link.onStatus = { _, note in if let note { state.note(note, now: loop.now) } }
        link.start()
        for line in [#"AT+QLACFG="platform",0"#, #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAREG"] {
            state.model.sent(line, at: loop.now)
            link.send(line: line)
        }
        try loop.run(until: { !state.model.pending.isEmpty }, timeout: 5_000)
        link.play(try #require(PlatformPlay(":read 1 /19/0/0")))
        try loop.run(until: { state.model.pending.contains { $0.operation == .read } }, timeout: 5_000)
        let texts = state.model.log.entries.map(\.text)
        #expect(texts.contains("ct> read 1 /19/0/0"))
        #expect(texts.contains { $0.hasPrefix("ct: #") })
        #expect(texts.contains { $0.hasPrefix("+QLAURC: \"read\"") })
        link.stop()
    }
}

@Suite struct PlatformPlayScreenTests {
    @Test func aColonLineShowsThePlatformsCommandsOrWhyNot() {
        var state = ConsoleState()
        for c in ":read 1 /19/0/0" { _ = state.handle(.character(c), now: .zero) }
        state.playsPlatform = true
        var text = ConsoleScreen.render(state, now: .zero, width: 120, height: 30).grid.text
        #expect(text.contains("platform: read EP PATH"))
        #expect(text.contains(":ct, :aep, :andlink"))
        #expect(!text.contains("✗"))
        state.playsPlatform = false
        text = ConsoleScreen.render(state, now: .zero, width: 120, height: 30).grid.text
        #expect(text.contains("✗ only the emulator backend"))
    }
}
