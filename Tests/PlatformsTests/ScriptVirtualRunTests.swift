import ATProtocol
import CoAP
import Foundation
import ModuleCore
import Testing
@testable import Platforms

/// Scripts played against the emulated module in virtual time, and the chapter 4 examples.
@Suite("Script runs in virtual time")
struct ScriptVirtualRunTests {
    /// The module on its own: the emulator with no embedded platform and nothing on the far side
    /// of the run, so every exchange with a server times out, as on a bench with the antenna
    /// unplugged.
    static func standalone(_ identity: ModuleIdentity = ModuleIdentity()) -> EmulatorATDevice {
        EmulatorATDevice(Emulator(configuration: Emulator.Configuration(identity: identity, profiles: [])))
    }

    static func run(_ text: String, module: EmulatorATDevice = standalone(), latency: Int64 = 0)
        throws -> (verdict: ScriptVerdict, run: VirtualScriptRun<EmulatorATDevice, Unplugged>) {
        var run = VirtualScriptRun(script: try ScriptParser.parse(text, file: "t.at"), device: module, millisecondsPerLine: latency)
        let verdict = run.run()
        return (verdict, run)
    }

    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples")
    }

    static func example(_ name: String) throws -> Script {
        let text = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
        return try ScriptParser.parse(text, file: name)
    }

    @Test func theBasicsABenchUserTypesFirst() throws {
        let (verdict, run) = try Self.run("""
        RDY
        +CFUN: 1
        +CPIN: READY
        AT
        OK
        ATI
        Quectel
        BC260Y-CN
        Revision: {revision}
        OK
        AT+CGSN=1
        +CGSN: {imei}
        OK
        AT+QLASTATUS?
        +QLASTATUS: 0
        OK
        AT+QLACONFIG=0,"127.0.0.1",5683,"{imei}",300,3
        OK
        AT+QLACONFIG?
        +QLACONFIG: 0,"127.0.0.1",5683,"{=imei}",300,3,0
        OK
        """, module: Self.standalone(ModuleIdentity(imei: "866971030603068")))
        #expect(verdict == .passed(at: .zero), "virtual time does not move without latency")
        #expect(run.runner.captures == ["revision": "BC260YCNAAR01A02", "imei": "866971030603068"])
        #expect(run.savedState?.workingServer?.endpoint == "866971030603068", "the run keeps the state the module saved")
    }

    @Test func anErrorFromTheModuleFailsTheLineThatExpectedOK() throws {
        let (verdict, _) = try Self.run("AT+QLACFG=\"platform\",7\nOK\n")
        #expect(verdict.failure?.description == "t.at:2: got `ERROR` where `OK` was expected")
    }

    @Test func latencySpacesTheAnswers() throws {
        let (verdict, run) = try Self.run("? RDY\nAT+CSQ\n+CSQ: {_},{_}\nOK\n", latency: 5)
        #expect(verdict == .passed(at: Instant(milliseconds: 30)))
        let times = run.runner.transcript.compactMap { entry -> String? in
            switch entry.kind {
            case .received(let text), .echo(let text): "\(entry.time.milliseconds) \(text)"
            case .sent(let text): "\(entry.time.milliseconds) > \(text)"
            default: nil
            }
        }
        // The banner's lines leave at 5, 10, 15 ms and the script starts after it; the echo and
        // the answer follow 5 ms apart.
        #expect(times == ["5 RDY", "10 +CFUN: 1", "15 +CPIN: READY", "15 > AT+CSQ", "20 AT+CSQ", "25 +CSQ: 24,0", "30 OK"])
    }

    @Test func withNoServerARegistrationTimesOutOnTheModulesSchedule() throws {
        // No network: nobody answers, so the default 2 s × 5 retransmissions run out at 126 s,
        // and a configured 3 s × 2 at 21 s.
        let (verdict, run) = try Self.run("""
        AT+QLACONFIG=0,"192.0.2.1",5683,"ep",300,3
        OK
        AT+QLAREG
        OK
        wait 126s for +QLAREG: 1
        AT+QLASTATUS?
        +QLASTATUS: 0
        OK
        AT+QLACFG="retransmit",3,2
        OK
        AT+QLAREG
        OK
        wait 21s for +QLAREG: 1
        """)
        #expect(verdict == .passed(at: Instant(milliseconds: 147_000)))
        let results = run.runner.transcript.filter { $0.kind == .received("+QLAREG: 1") }.map(\.time.milliseconds)
        #expect(results == [126_000, 147_000])
        let (late, _) = try Self.run("AT+QLACONFIG=0,\"192.0.2.1\",5683,\"ep\",300,3\nOK\nAT+QLAREG\nOK\nwait 125s for +QLAREG: 1\n")
        #expect(late.failure?.location.line == 5)
        #expect(late.failure?.at == Instant(milliseconds: 125_001))
    }

    @Test func deepSleepInVirtualTime() throws {
        let (verdict, run) = try Self.run("""
        AT+QSCLK=1
        OK
        wait 2m for +QNBIOEVENT: "ENTER DEEPSLEEP"
        wait 1h
        AT
        +QNBIOEVENT: "EXIT DEEPSLEEP"
        OK
        """)
        #expect(verdict == .passed(at: Instant(milliseconds: 3_610_000)))
        #expect(run.runner.transcript.contains { $0.kind == .received("+QNBIOEVENT: \"ENTER DEEPSLEEP\"") && $0.time.milliseconds == 10_000 })
    }

    // MARK: The device under a run

    @Test func theModuleReturnsBytesAndDatagramsTogether() {
        var device = Self.standalone()
        _ = device.powerOn(now: .zero)
        let register = device.receive(bytes: Array("ATE0\rAT+QLACONFIG=0,\"192.0.2.1\",5683,\"ep\",300,3\rAT+QLAREG\r".utf8), now: .zero)
        #expect(Self.lines(register.bytes) == ["ATE0", "OK", "OK", "OK"])
        #expect(register.datagrams.map(\.peer) == [PeerAddress(host: "192.0.2.1", port: 5683)], "the Register request")
        #expect(register.stateToSave?.workingServer?.host == "192.0.2.1")
        #expect(device.emulator.module.status == .registering)
        let retransmission = device.advance(to: Instant(milliseconds: 2_000))
        #expect(retransmission.datagrams.map(\.bytes) == register.datagrams.map(\.bytes), "the same CON again after 2 s")
        #expect(retransmission.bytes.isEmpty)
        let end = device.advance(to: Instant(milliseconds: 126_000))
        #expect(Self.lines(end.bytes) == ["+QLAREG: 1"])
    }

    @Test func oneLateCallRunsTheTimersInOrder() {
        var device = Self.standalone()
        _ = device.powerOn(now: .zero)
        _ = device.receive(bytes: Array("ATE0\rAT+QLACONFIG=0,\"192.0.2.1\",5683,\"ep\",300,3\rAT+QLAREG\r".utf8), now: .zero)
        // The registration times out at 126 s, then the idle module sleeps 10 s later.
        let output = device.advance(to: Instant(milliseconds: 200_000))
        #expect(Self.lines(output.bytes) == ["+QLAREG: 1", "+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
        #expect(device.emulator.module.power == .asleep)
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        var framer = LineFramer.moduleOutput()
        return framer.append(bytes).compactMap(\.text)
    }

    // MARK: The chapter 4 examples

    @Test(arguments: ["ct-iot.at", "ct-aep.at", "cm-andlink.at"])
    func examplesParse(name: String) throws {
        let script = try Self.example(name)
        #expect(script.requiredExpectationCount > 20)
        // Every command of the note is sent; the wrapped hex strings are joined whole.
        for step in script.steps {
            guard case .send(let template) = step.kind else { continue }
            let text = template.description
            #expect(!text.contains(" "), "\(step.location): \(text)")
            if text.hasPrefix("AT+QLARDRSP=") { #expect(text.hasSuffix("2,71,\"" + Self.readHex + "\",0")) }
            if text.hasPrefix("AT+QLASENDATA=") { #expect(text.contains("2,112,\"" + Self.sendHex + "\",")) }
        }
    }

    @Test func theCTIoTExampleRunsUntilTheModuleNeedsAServer() throws {
        // The module with no network behind it (the runs with the embedded platforms, which
        // pass, are in ServeProcessTests): everything up to the registration holds, and the
        // script fails exactly at the line that waits for `+QLAREG: 0`, 30 s after AT+QLAREG.
        let script = try Self.example("ct-iot.at")
        var run = VirtualScriptRun(script: script, device: Self.standalone(ModuleIdentity(imei: "867724030023557")))
        let verdict = run.run()
        let failure = try #require(verdict.failure)
        let waitLine = try #require(script.steps.first { step in
            if case .expect(let e) = step.kind { e.pattern.description == "+QLAREG: 0" } else { false }
        }).location
        #expect(failure.location == waitLine)
        #expect(failure.at == Instant(milliseconds: 30_001))
        let matchedLines = run.runner.transcript.compactMap { if case .matched = $0.kind { $0.location?.line } else { nil } }
        let expectedBefore = script.steps.filter { step in
            if case .expect = step.kind { step.location.line < waitLine.line } else { false }
        }.map(\.location.line)
        #expect(matchedLines == expectedBefore, "the banner, the basics, the configuration and the OK of AT+QLAREG all held")
        #expect(run.runner.captures["address"] == "\"10.177.135.245\"")
        #expect(run.savedState?.workingServer?.host == "180.101.147.115")
        #expect(run.savedState?.customObjects.count == 2)
    }

    @Test(arguments: ["ct-aep.at", "cm-andlink.at"])
    func theOtherExamplesHoldUntilRegistration(name: String) throws {
        let script = try Self.example(name)
        var run = VirtualScriptRun(script: script, device: Self.standalone())
        let failure = try #require(run.run().failure)
        guard case .expect(let expectation) = script.steps.first(where: { $0.location == failure.location })?.kind else {
            Issue.record("failed at \(failure)")
            return
        }
        #expect(expectation.pattern.description.hasPrefix("+QLA"), "\(failure)")
        #expect(expectation.timeoutMilliseconds == 30_000, "\(failure)")
        #expect(failure.at == Instant(milliseconds: 30_001))
    }

    static let readHex = "7b226f75746c6574537461747573223a2231222c2273657454696d65223a2231222c226669726d77617265223a22312e30222c22736f667456657273696f6e223a22312e30227d"
    static let sendHex = "5b7b226e223a222f31392f312f30222c227673223a227b5c226f75746c65745374617475735c223a5c22305c222c5c2273657454696d655c223a5c22315c222c5c226669726d776172655c223a5c22312e305c222c5c22736f667456657273696f6e5c223a5c22312e305c227d227d5d"
}
