import CoAP
import LwM2M
import ModuleCore
import Testing
@testable import Platforms

/// Every example (举例) of chapters 2 and 3 of the application note, typed at the emulator
/// (echo on, so each answer starts with the command line as the note prints it) against the
/// embedded CT IoT platform (platform 0), or Andlink where the note says only Andlink works, in
/// virtual time. The server's requests that the URCs of chapter 3 report are made on the
/// platform with its console lines. Message ids are the wire's: captured from the URCs and
/// result lines, never compared with the note's literal numbers.
@Suite("Note chapters 2 and 3: the examples against the emulator")
struct NoteChapter2And3ExampleTests {
    static let imei = "867724030023557"
    static let config = #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#

    // MARK: states

    /// Powered on, banner read.
    static func poweredOn() -> EmulatorBench {
        var bench = EmulatorBench()
        #expect(bench.run(for: 0) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        return bench
    }

    /// `command` answers exactly `expected` (after its echo).
    static func expectLines(_ bench: inout EmulatorBench, _ command: String, _ expected: [String],
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(bench.type(command) == [command] + expected, sourceLocation: sourceLocation)
    }

    /// Configured for the CT IoT platform with `objects` (ADDOBJ parameter lists) added, not registered.
    static func configured(objects: [String] = []) -> EmulatorBench {
        var bench = poweredOn()
        expectLines(&bench, #"AT+QLACFG="platform",0"#, ["OK"])
        expectLines(&bench, config, ["OK"])
        for o in objects { expectLines(&bench, "AT+QLAADDOBJ=\(o)", ["OK"]) }
        return bench
    }

    /// Configured and registered. Without /19/0 the platform starts no observe of its own, so
    /// the register answers just the note's two lines.
    static func registered(objects: [String] = []) throws -> EmulatorBench {
        var bench = configured(objects: objects)
        expectLines(&bench, "AT+QLAREG", ["OK", "+QLAREG: 0"])
        try #require(bench.emulator.platform(.ctIoT)?.registrations.map(\.endpoint) == [imei])
        _ = bench.takePlatformTexts()
        return bench
    }

    /// Registered with /19/0/0, which the platform observes; the TE answered the observe.
    static func observed() throws -> EmulatorBench {
        var bench = configured(objects: ["19,0,1,0", "19,1,1,0"])
        let lines = bench.type("AT+QLAREG")
        try #require(lines.count == 4, "\(lines)")
        let mid = try #require(urcField(lines[3], 1))
        #expect(lines == ["AT+QLAREG", "OK", "+QLAREG: 0", #"+QLAURC: "observe",\#(mid),0,19,0,0"#])
        expectLines(&bench, #"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#, ["OK", "+QLAOBSRSP: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.server.management.observations(of: imei).map(\.1) == [LwM2MPath(19, 0, 0)])
        _ = bench.takePlatformTexts()
        return bench
    }

    /// A platform console line that sends one request; returns the one URC it caused.
    static func serverRequest(_ bench: inout EmulatorBench, _ line: String) throws -> String {
        let reply = bench.platform(line, on: .ctIoT)
        #expect(reply.count == 1 && reply.first?.contains(": sent") == true, "\(reply)")
        let urcs = bench.run(for: 100)
        try #require(urcs.count == 1, "\(urcs)")
        return urcs[0]
    }

    // MARK: chapter 2

    @Test func qlacfgExamples() {
        var bench = Self.poweredOn()
        Self.expectLines(&bench, #"AT+QLACFG="retransmit",2,4"#, ["OK"])
        Self.expectLines(&bench, #"AT+QLACFG="retransmit""#, [#"+QLACFG: "retransmit",2,4"#, "OK"])

        var second = Self.poweredOn()
        for line in [#"AT+QLACFG="platform",1"#, #"AT+QLACFG="cfg_res",3,0,17,"500677""#, #"AT+QLACFG="auto_ack",1"#,
                     #"AT+QLACFG="lifetime_enable",1"#, #"AT+QLACFG="dtls_mode",0"#, #"AT+QLACFG="dtls_version",1"#] {
            Self.expectLines(&second, line, ["OK"])
        }
        Self.expectLines(&second, #"AT+QLACFG="platform""#, [#"+QLACFG: "platform",1"#, "OK"])
        Self.expectLines(&second, #"AT+QLACFG="dtls_version""#, [#"+QLACFG: "dtls_version",1"#, "OK"])
    }

    /// What the second 2.2 example's auto_ack 1 does: the module answers the observe itself,
    /// still prints the URC, and the TE only notifies.
    @Test func autoAckAnswersTheObserve() throws {
        var bench = Self.poweredOn()
        Self.expectLines(&bench, #"AT+QLACFG="auto_ack",1"#, ["OK"])
        Self.expectLines(&bench, Self.config, ["OK"])
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,0,1,0", ["OK"])
        let lines = bench.type("AT+QLAREG")
        try #require(lines.count == 4, "\(lines)")
        let mid = try #require(urcField(lines[3], 1))
        #expect(lines == ["AT+QLAREG", "OK", "+QLAREG: 0", #"+QLAURC: "observe",\#(mid),0,19,0,0"#])
        #expect(bench.emulator.platform(.ctIoT)?.server.management.observations(of: Self.imei).map(\.1) == [LwM2MPath(19, 0, 0)])
        Self.expectLines(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0"#, ["OK", "+QLANOTIFY: 0"])
    }

    /// lifetime_enable 0 (the opposite of the 2.2 example's 1): no automatic update, no "ping".
    @Test func lifetimeDisabledSendsNoPing() throws {
        var bench = Self.poweredOn()
        Self.expectLines(&bench, #"AT+QLACFG="lifetime_enable",0"#, ["OK"])
        Self.expectLines(&bench, "AT+QSCLK=0", ["OK"])
        Self.expectLines(&bench, Self.config, ["OK"])
        Self.expectLines(&bench, "AT+QLAREG", ["OK", "+QLAREG: 0"])
        #expect(bench.run(for: 260_000).isEmpty)
        #expect(!bench.takePlatformTexts().contains { $0.hasPrefix("update from") })
    }

    @Test func qlaregExample() throws {
        var bench = Self.configured()
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 0", "OK"])
        Self.expectLines(&bench, "AT+QLAREG", ["OK", "+QLAREG: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.map(\.endpoint) == [Self.imei])
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 2", "OK"])
    }

    @Test func qlaupdateExample() throws {
        var bench = try Self.registered()
        let lines = bench.type("AT+QLAUPDATE=0,1000")
        try #require(lines.count == 3, "\(lines)")
        let mid = try #require(urcField(lines[2], 1))
        #expect(lines == ["AT+QLAUPDATE=0,1000", "OK", "+QLAUPDATE: 0,\(mid)"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.first?.lifetime == 1000)
    }

    @Test func qladeregExample() throws {
        var bench = try Self.registered()
        Self.expectLines(&bench, "AT+QLADEREG", ["OK", "+QLADEREG: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.isEmpty == true)
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 4", "OK"])
    }

    /// The note writes `AT+QLAADD OBJ`; NOTES.md reads it as `AT+QLAADDOBJ`.
    @Test func qlaaddobjExample() throws {
        var bench = try Self.registered()
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,1,1,0", ["OK", "+QLAADDOBJ: 0"])
        // The module's lines are the note's; the CT platform then observes the /19/0/0 just
        // announced (its 4.2.2 behaviour), which the note's example does not show.
        let lines = bench.type("AT+QLAADDOBJ=19,0,4,0,1,2,3")
        try #require(lines.count == 4, "\(lines)")
        let observeID = try #require(urcField(lines[3], 1))
        #expect(lines == ["AT+QLAADDOBJ=19,0,4,0,1,2,3", "OK", "+QLAADDOBJ: 0", #"+QLAURC: "observe",\#(observeID),0,19,0,0"#])
        Self.expectLines(&bench, "AT+QLAADDOBJ?", ["+QLAADDOBJ: 19,1,1,0", "+QLAADDOBJ: 19,0,4,0,1,2,3", "OK"])
        let objects = bench.emulator.platform(.ctIoT)?.registrations.first?.objectPaths ?? []
        #expect(objects.contains(LwM2MPath(19, 0)) && objects.contains(LwM2MPath(19, 1)), "\(objects)")
    }

    @Test func qladelobjExample() throws {
        var bench = try Self.registered(objects: ["17,0,1,0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.first?.objectPaths.contains(LwM2MPath(17, 0)) == true)
        Self.expectLines(&bench, "AT+QLADELOBJ=17", ["OK", "+QLADELOBJ: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.first?.objectPaths.contains(LwM2MPath(17, 0)) == false)
    }

    @Test func qlardrspExample() throws {
        // The platform observes /19/0/0 on its own once it is registered; that is answered first.
        var bench = try Self.observed()
        let urc = try Self.serverRequest(&bench, "read \(Self.imei) /19/0/0")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "read",\#(mid),19,0,0"#)
        Self.expectLines(&bench, #"AT+QLARDRSP=\#(mid),1,19,0,0,1,5,"abcde",0"#, ["OK", "+QLARDRSP: 0"])
        #expect(bench.takePlatformTexts().contains("#2 Read /19/0/0 on \(Self.imei): 2.05 Content"))
        // Answering twice is an error (remark 2).
        Self.expectLines(&bench, #"AT+QLARDRSP=\#(mid),1,19,0,0,1,5,"abcde",0"#, ["ERROR"])
    }

    @Test func qlawrrspExample() throws {
        var bench = try Self.observed()
        let urc = try Self.serverRequest(&bench, "write \(Self.imei) /19/0/0 0x5155454354454C")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "write",\#(mid),19,0,0,2,7,"5155454354454C",0"#)
        Self.expectLines(&bench, "AT+QLAWRRSP=\(mid),2", ["OK", "+QLAWRRSP: 0"])
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("#2 Write /19/0/0 on \(Self.imei): 2.04") })
    }

    @Test func qlaexerspExample() throws {
        var bench = try Self.registered(objects: ["15,0,1,5"])
        let urc = try Self.serverRequest(&bench, "exec \(Self.imei) /15/0/5")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "execute",\#(mid),15,0,5"#)
        Self.expectLines(&bench, "AT+QLAEXERSP=\(mid),2", ["OK", "+QLAEXERSP: 0"])
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("#1 Execute /15/0/5 on \(Self.imei): 2.04") })
    }

    @Test func qlaobsrspExample() throws {
        var bench = try Self.registered(objects: ["9,0,1,0"])
        let urc = try Self.serverRequest(&bench, "observe \(Self.imei) /9/0/0")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "observe",\#(mid),0,9,0,0"#)
        Self.expectLines(&bench, #"AT+QLAOBSRSP=\#(mid),1,9,0,0,1,5,"abcde",0"#, ["OK", "+QLAOBSRSP: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.server.management.observations(of: Self.imei).map(\.1) == [LwM2MPath(9, 0, 0)])
    }

    /// 2.12 prints only the shape of the answers; both are played.
    @Test func qlanotifyNonAndCon() throws {
        var bench = try Self.observed()
        let non = #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0"#
        Self.expectLines(&bench, non, ["OK", "+QLANOTIFY: 0"])
        let con = #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1"#
        let lines = bench.type(con)
        try #require(lines.count == 5, "\(lines)")
        let mid = try #require(urcField(lines[2], 1))
        #expect(lines == [con, "OK", #"+QLAURC: "report",\#(mid)"#, "+QLANOTIFY: 0", #"+QLAURC: "report_ack",0,\#(mid)"#])
        // Remark 1: an unobserved resource cannot be notified.
        Self.expectLines(&bench, #"AT+QLANOTIFY=19,1,0,2,1,"00",0,0"#, ["ERROR"])
    }

    /// 2.13 prints only the shape; played on Andlink (remark 1), with both spellings of the command.
    @Test func qlasenddataNonAndCon() throws {
        var bench = EmulatorBench(Emulator.Configuration(identity: ModuleIdentity(imei: "866971031275899")))
        #expect(bench.run(for: 0).count == 3)
        Self.expectLines(&bench, #"AT+QLACFG="platform",2"#, ["OK"])
        Self.expectLines(&bench, #"AT+QLACFG="cfg_res",3,0,17,"500677""#, ["OK"])
        Self.expectLines(&bench, #"AT+QLACONFIG=1,"lwm.home.komect.com",5683,"866971031275899",30,3"#, ["OK"])
        let reg = bench.type("AT+QLAREG")
        // 3.6 and 3.11: the bootstrap ends with bs_finished; the binding it hands out is reported.
        #expect(reg == ["AT+QLAREG", "OK", #"+QLAURC: "binding_changed",U"#, #"+QLAURC: "bs_finished""#, "+QLAREG: 0"])

        let non = #"AT+QLASENDATA=1,5,"abcde",0"#
        let nonLines = bench.type(non)
        let nonID = try #require(nonLines.count == 3 ? urcField(nonLines[2], 1) : nil, "\(nonLines)")
        #expect(nonLines == [non, "OK", "+QLASENDATA: 0,\(nonID)"])
        // NOTES.md: both spellings are accepted; the answer uses the prefix typed.
        let con = #"AT+QLASENDDATA=2,5,"6162636465",1"#
        let conLines = bench.type(con)
        let conID = try #require(conLines.count == 4 ? urcField(conLines[2], 1) : nil, "\(conLines)")
        #expect(conLines == [con, "OK", "+QLASENDDATA: 0,\(conID)", #"+QLAURC: "send_ack",0,\#(conID)"#])
        #expect(conID != nonID)
    }

    /// 2.14 has no example; with a slow network the passing states show: 0, 1, 2, 3, 4. Also
    /// 2.6/2.7 remark: no ADDOBJ or DELOBJ while registering.
    @Test func qlastatusThroughTheStates() throws {
        var bench = EmulatorBench(Emulator.Configuration(embeddedLatency: 500))
        #expect(bench.run(for: 0).count == 3)
        Self.expectLines(&bench, Self.config, ["OK"])
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 0", "OK"])
        #expect(bench.type("AT+QLAREG", settle: 0) == ["AT+QLAREG", "OK"])
        #expect(bench.type("AT+QLASTATUS?", settle: 0) == ["AT+QLASTATUS?", "+QLASTATUS: 1", "OK"])
        #expect(bench.type("AT+QLAADDOBJ=9,0,1,0", settle: 0) == ["AT+QLAADDOBJ=9,0,1,0", "ERROR"])
        #expect(bench.type("AT+QLADELOBJ=9", settle: 0) == ["AT+QLADELOBJ=9", "ERROR"])
        #expect(bench.run(for: 1_100) == ["+QLAREG: 0"])
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 2", "OK"])
        // 2.3: registering again while registered is an error.
        Self.expectLines(&bench, "AT+QLAREG", ["ERROR"])
        #expect(bench.type("AT+QLADEREG", settle: 0) == ["AT+QLADEREG", "OK"])
        #expect(bench.type("AT+QLASTATUS?", settle: 0) == ["AT+QLASTATUS?", "+QLASTATUS: 3", "OK"])
        #expect(bench.run(for: 1_100) == ["+QLADEREG: 0"])
        Self.expectLines(&bench, "AT+QLASTATUS?", ["+QLASTATUS: 4", "OK"])
    }

    // MARK: chapter 3

    /// 3.1: the automatic update at the lifetime's update interval (300 s: 250 s) reports "ping".
    @Test func pingAtTheUpdateInterval() throws {
        var bench = try Self.registered()
        // Sleep is forbidden, as in 4.2.2: an update due while asleep is the recovery's business.
        Self.expectLines(&bench, "AT+QSCLK=0", ["OK"])
        #expect(bench.run(for: 249_000).isEmpty)
        #expect(bench.run(for: 1_100) == [#"+QLAURC: "ping",0"#])
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("update from \(Self.imei)") })
    }

    /// 3.2 with flag 1: the platform cancels its observation.
    @Test func observeCancel() throws {
        var bench = try Self.observed()
        let urc = try Self.serverRequest(&bench, "cancel \(Self.imei) /19/0/0")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "observe",\#(mid),1,19,0,0"#)
        // The TE answers a cancel like an observe (3.2: AT+QLAOBSRSP); then the resource is no
        // longer observed and 2.12's remark 1 applies.
        Self.expectLines(&bench, #"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#, ["OK", "+QLAOBSRSP: 0"])
        #expect(bench.takePlatformTexts().contains("#2 Cancel observation /19/0/0 on \(Self.imei): 2.05 Content"))
        #expect(bench.emulator.platform(.ctIoT)?.server.management.observations(of: Self.imei).isEmpty == true)
        Self.expectLines(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0"#, ["ERROR"])
    }

    /// 3.4 without the optional <URI_query>: a read of /19/1/0 while /19/0 is not there.
    @Test func readOfAnInstance() throws {
        var bench = try Self.registered(objects: ["19,1,1,0"])
        let urc = try Self.serverRequest(&bench, "read \(Self.imei) /19/1/0")
        let mid = try #require(urcField(urc, 1))
        #expect(urc == #"+QLAURC: "read",\#(mid),19,1,0"#)
    }

    /// 3.10 and 3.11: the server writes the lifetime and the binding of the server object.
    @Test func lifetimeAndBindingChanged() throws {
        var bench = try Self.registered()
        #expect(bench.platform("write \(Self.imei) /1/0/1 600", on: .ctIoT).count == 1)
        #expect(bench.run(for: 100) == [#"+QLAURC: "lifetime_changed",600"#])
        #expect(bench.platform("write \(Self.imei) /1/0/7 UQ", on: .ctIoT).count == 1)
        #expect(bench.run(for: 100) == [#"+QLAURC: "binding_changed",UQ"#])
    }

    /// 3.12: a registered, observed session sleeps and resumes.
    @Test func recoveredAfterDeepSleep() throws {
        var bench = try Self.observed()
        Self.expectLines(&bench, "AT+QSCLK=1", ["OK"])
        let idle = bench.emulator.module.timing.deepSleepIdleMilliseconds
        #expect(bench.run(for: idle) == [#"+QNBIOEVENT: "ENTER DEEPSLEEP""#])
        #expect(bench.run(for: 60_000).isEmpty)
        // The waking line is answered once the session is back (4.2.2's order).
        #expect(bench.type("AT+QLASTATUS?") == [#"+QNBIOEVENT: "EXIT DEEPSLEEP""#, #"+QLAURC: "recovered",0"#,
                                                  "AT+QLASTATUS?", "+QLASTATUS: 2", "OK"])
        // The observation survived the sleep (2.11's 特性说明): a NON notify goes out.
        Self.expectLines(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0"#, ["OK", "+QLANOTIFY: 0"])
    }

    /// 3.13: the platform lost its observation and answers the next CON notification with RST.
    @Test func lwEventOnReset() throws {
        var bench = try Self.observed()
        let now = bench.now
        let forgotten = bench.emulator.forgetObservation(of: LwM2MPath(19, 0, 0), on: Self.imei, at: .ctIoT, now: now)
        #expect(forgotten)
        let again = bench.emulator.forgetObservation(of: LwM2MPath(19, 0, 0), on: Self.imei, at: .ctIoT, now: now)
        #expect(!again)
        let con = #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1"#
        let lines = bench.type(con)
        try #require(lines.count == 6, "\(lines)")
        let mid = try #require(urcField(lines[2], 1))
        // The RST also ends the CON exchange: 2.12's report_ack with result 5 (RST) follows.
        #expect(lines == [con, "OK", #"+QLAURC: "report",\#(mid)"#, "+QLANOTIFY: 0", #"+QLAURC: "lw_event",0,5,\#(mid)"#,
                          #"+QLAURC: "report_ack",5,\#(mid)"#])
    }
}
