import CoAP
import LwM2M
import ModuleCore
import Testing
@testable import Platforms

/// The emulator's own contract, in virtual time: embedded latency, traffic for real servers out
/// and back (with and without a remap), platform commands from a learner, outputs kept until
/// taken.
@Suite("Emulator: routing, latency, platform commands")
struct EmulatorRoutingTests {
    static let imei = "867724030023557"

    static func configured(_ bench: inout EmulatorBench, host: String, port: UInt16 = 5683) {
        _ = bench.run(for: 0)
        #expect(bench.type("ATE0") == ["ATE0", "OK"])
        #expect(bench.type(#"AT+QLACONFIG=0,"\#(host)",\#(port),"\#(imei)",300,3"#) == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
    }

    /// The 2.01 a server answers `register` with.
    static func created(for register: Message) -> [UInt8] {
        var answer = Message(type: .acknowledgement, code: .created, messageID: register.messageID, token: register.token)
        answer.set(.locationPath, [Array("rd".utf8), Array("7".utf8)])
        return answer.encoded()
    }

    @Test func embeddedTrafficTakesTheConfiguredLatencyEachWay() {
        var bench = EmulatorBench(Emulator.Configuration(embeddedLatency: 50))
        Self.configured(&bench, host: "180.101.147.115")
        #expect(bench.type("AT+QLAREG", settle: 0) == ["OK"])
        #expect(bench.emulator.nextDeadline == bench.now + 50)
        // Register arrives at +50, 2.01 and the Observe come back at +100.
        #expect(bench.run(for: 99).isEmpty)
        #expect(bench.emulator.platform(.ctIoT)?.registrations.count == 1)
        let lines = bench.run(for: 1)
        #expect(lines.first == "+QLAREG: 0" && lines.count == 2 && lines[1].hasPrefix(#"+QLAURC: "observe","#), "\(lines)")
    }

    @Test func aServerThatIsNotEmbeddedIsReachedOutsideAndAnswersComeBackIn() throws {
        var bench = EmulatorBench()
        Self.configured(&bench, host: "192.0.2.7")
        #expect(bench.type("AT+QLAREG") == ["OK"])
        let out = bench.takeExternal()
        try #require(out.count == 1)
        #expect(out[0].peer == PeerAddress(host: "192.0.2.7", port: 5683))
        let register = try Message(decoding: out[0].bytes)
        #expect(register.code == .post && register.uriPath == ["rd"] && register.uriQuery.contains("ep=\(Self.imei)"))
        bench.emulator.receiveExternal(Datagram(Self.created(for: register), peer: out[0].peer), now: bench.now)
        #expect(bench.run(for: 0) == ["+QLAREG: 0"])
        #expect(bench.emulator.module.status == .registered)
        // The next CoAP exchange goes out again: the Deregister to /rd/7.
        #expect(bench.type("AT+QLADEREG", settle: 0) == ["OK"])
        let deregister = try Message(decoding: try #require(bench.takeExternal().first).bytes)
        #expect(deregister.code == .delete && deregister.uriPath == ["rd", "7"])
    }

    @Test func aRemapSendsAPlatformAddressOutAndShowsTheAnswerAsComingFromIt() throws {
        let ct = PeerAddress(host: "180.101.147.115", port: 5683)
        let real = PeerAddress(host: "192.0.2.9", port: 6000)
        var bench = EmulatorBench(Emulator.Configuration(remaps: [AddressRemap(from: ct, to: real)]))
        Self.configured(&bench, host: "180.101.147.115")
        #expect(bench.type("AT+QLAREG") == ["OK"])
        let out = try #require(bench.takeExternal().first)
        #expect(out.peer == real)
        bench.emulator.receiveExternal(Datagram(Self.created(for: try Message(decoding: out.bytes)), peer: real), now: bench.now)
        #expect(bench.run(for: 0) == ["+QLAREG: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.isEmpty == true)
        // An answer from an address the module never used is not its server's: the CoAP
        // endpoint drops it (here: a stray 2.01 for nothing), and nothing is printed.
        bench.emulator.receiveExternal(Datagram(Self.created(for: try Message(decoding: out.bytes)),
                                                peer: PeerAddress(host: "192.0.2.10", port: 6000)), now: bench.now)
        #expect(bench.run(for: 100).isEmpty)
    }

    @Test func aLearnerDrivesTheEmbeddedPlatform() throws {
        var bench = EmulatorBench()
        Self.configured(&bench, host: "180.101.147.115")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"])
        let reg = bench.type("AT+QLAREG")
        #expect(reg.count == 3 && reg[1] == "+QLAREG: 0", "\(reg)")
        _ = bench.takePlatformTexts()

        // A read the TE answers, a write it sees as a URC, a parse error and an unknown client.
        #expect(bench.platform("read 1 /19/1/0", on: .ctIoT) == ["#2 Read /19/1/0 on \(Self.imei): sent"])
        let read = bench.run(for: 10)
        let readID = try #require(read.first.flatMap { urcField($0, 1) }, "\(read)")
        #expect(read == [#"+QLAURC: "read",\#(readID),19,1,0"#])
        #expect(bench.type(#"AT+QLARDRSP=\#(readID),1,19,1,0,2,2,"CAFE",0"#) == ["OK", "+QLARDRSP: 0"])
        #expect(bench.takePlatformTexts().contains("#2 Read /19/1/0 on \(Self.imei): 2.05 Content"))

        #expect(bench.platform("write 1 /19/1/0 0x5155454354454C", on: .ctIoT).first?.hasPrefix("#3 Write /19/1/0") == true)
        let write = bench.run(for: 10)
        let writeID = try #require(write.first.flatMap { urcField($0, 1) }, "\(write)")
        #expect(write == [#"+QLAURC: "write",\#(writeID),19,1,0,2,7,"5155454354454C",0"#])
        #expect(bench.type("AT+QLAWRRSP=\(writeID),2") == ["OK", "+QLAWRRSP: 0"])

        #expect(bench.platform("reed 1 /19/1/0", on: .ctIoT) == ["unknown command 'reed' (type help)"])
        #expect(bench.platform("read 9 /3/0/0", on: .ctIoT) == ["no client '9' (type list to see them)"])
        #expect(bench.emulator.perform(line: "list", on: .generic, now: bench.now) == nil)
        #expect(bench.platform("list", on: .ctIoT).first?.hasPrefix("1  \(Self.imei)  10.177.135.245:56830") == true)
    }

    @Test func outputsWaitUntilTakenAndLinesKeepTheirOrder() {
        var emulator = Emulator()
        let banner = emulator.powerOn(now: .zero)
        #expect(String(decoding: banner, as: UTF8.self) == "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n")
        #expect(emulator.takeATOutput().isEmpty)
        _ = emulator.receive(atBytes: Array("ATE0\r".utf8), now: Instant(milliseconds: 10))
        _ = emulator.receive(atBytes: Array(#"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#.utf8), now: Instant(milliseconds: 20))
        // Half a line waits for its CR; the state to save comes once the line runs.
        #expect(emulator.takeStateToSave() == nil)
        let rest = emulator.receive(atBytes: [0x0D], now: Instant(milliseconds: 30))
        #expect(String(decoding: rest, as: UTF8.self) == "\r\nOK\r\n")
        #expect(emulator.takeStateToSave()?.workingServer?.endpoint == "867724030023557")
        #expect(emulator.takeStateToSave() == nil)
        _ = emulator.receive(atBytes: Array("AT+QLAADDOBJ=19,0,1,0\rAT+QLAREG\r".utf8), now: Instant(milliseconds: 40))
        // Platform lines taken late are all there, in order, each with its platform.
        let lines = emulator.takePlatformLines()
        #expect(lines.count == 2 && lines.allSatisfy { $0.profile == .ctIoT }, "\(lines)")
        #expect(lines.map(\.line.sequence) == lines.map(\.line.sequence).sorted())
        #expect(lines.first?.description.hasPrefix("ct [     0.040] registered \(Self.imei)") == true, "\(lines)")
        #expect(emulator.takePlatformLines().isEmpty)
        // A time earlier than one seen counts as the one seen.
        _ = emulator.receive(atBytes: Array("AT\r".utf8), now: Instant(milliseconds: 5))
        #expect(emulator.now == Instant(milliseconds: 40))
        #expect(emulator.takeDiagnostics().isEmpty)
    }

    @Test func takeOutputHandsOverEverythingAtOnce() {
        var emulator = Emulator()
        _ = emulator.powerOn(now: .zero)
        _ = emulator.receive(atBytes: Array("ATE0\r".utf8), now: .zero)
        // Bytes the call returned are not handed over again; the saved state is.
        _ = emulator.receive(atBytes: Array(#"AT+QLACONFIG=0,"192.0.2.7",5683,"867724030023557",300,3\#r"#.utf8), now: .zero)
        _ = emulator.receive(atBytes: Array("AT+QLAREG\r".utf8), now: .zero)
        let output = emulator.takeOutput()
        #expect(output.atBytes.isEmpty)
        #expect(output.externalDatagrams.map(\.peer) == [PeerAddress(host: "192.0.2.7", port: 5683)])
        #expect(output.stateToSave?.workingServer?.host == "192.0.2.7")
        #expect(output.platformLines.isEmpty && output.diagnostics.isEmpty)
        #expect(emulator.takeOutput().isEmpty)
        // The Register's retransmission comes at 2 s (the module's ACK timeout), as output to take.
        #expect(emulator.nextDeadline == Instant(milliseconds: 2_000))
        emulator.advance(to: Instant(milliseconds: 2_000))
        #expect(emulator.takeOutput().externalDatagrams.count == 1)
    }
}
