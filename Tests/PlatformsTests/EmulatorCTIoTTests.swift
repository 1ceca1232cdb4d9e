import CoAP
import LwM2M
import ModuleCore
import Testing
@testable import Platforms

/// Chapter 4.2.2 of the note, typed line by line at the emulator (echo on, as after power-up)
/// against the embedded CT IoT platform at 180.101.147.115:5683, in virtual time. Message ids
/// differ from the note's (they are the wire's): they are read from the URCs.
@Suite("Emulator: note 4.2.2, CT IoT")
struct EmulatorCTIoTTests {
    static let imei = "867724030023557"

    /// 4.1 and the top of 4.2.2: banner, sleep off, network, PDP address.
    static func initialised(_ bench: inout EmulatorBench) {
        #expect(bench.run(for: 0) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        #expect(bench.type("AT+QSCLK=0") == ["AT+QSCLK=0", "OK"])
        #expect(bench.type("AT+CEREG?") == ["AT+CEREG?", "+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["AT+CGPADDR?", #"+CGPADDR: 0,"10.177.135.245""#, "OK"])
    }

    /// `AT+QLAREG` and the platform's observe of /19/0/0; returns the observe's message id.
    static func register(_ bench: inout EmulatorBench) throws -> Int {
        let lines = bench.type("AT+QLAREG")
        try #require(lines.count == 4, "\(lines)")
        #expect(Array(lines[0...2]) == ["AT+QLAREG", "OK", "+QLAREG: 0"])
        let mid = try #require(urcField(lines[3], 1))
        #expect(lines[3] == #"+QLAURC: "observe",\#(mid),0,19,0,0"#)
        return mid
    }

    /// The TE answers the observe with the note's value.
    static func answerObserve(_ bench: inout EmulatorBench, _ mid: Int) {
        #expect(bench.type(#"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#)
                == [#"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#, "OK", "+QLAOBSRSP: 0"])
    }

    /// A CON notify: `"report"` with the module's message id, the result, `"report_ack"`.
    static func notifyConfirmable(_ bench: inout EmulatorBench, _ command: String) throws -> Int {
        let lines = bench.type(command)
        try #require(lines.count == 5, "\(lines)")
        let mid = try #require(urcField(lines[2], 1))
        #expect(lines == [command, "OK", #"+QLAURC: "report",\#(mid)"#, "+QLANOTIFY: 0",
                          #"+QLAURC: "report_ack",0,\#(mid)"#])
        return mid
    }

    @Test func theWholeExampleAgainstTheEmbeddedPlatform() throws {
        var bench = EmulatorBench()
        Self.initialised(&bench)
        #expect(bench.type(#"AT+QLACFG="platform",0"#) == [#"AT+QLACFG="platform",0"#, "OK"])
        let config = #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#
        #expect(bench.type(config) == [config, "OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0") == ["AT+QLAADDOBJ=19,0,1,0", "OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["AT+QLAADDOBJ=19,1,1,0", "OK"])
        // The configuration is saved for the owner to write.
        #expect(bench.savedState?.workingServer?.host == "180.101.147.115")

        let observeID = try Self.register(&bench)
        let platform = try #require(bench.emulator.platform(.ctIoT))
        let registration = try #require(platform.registrations.first)
        #expect(registration.endpoint == Self.imei && registration.lifetime == 300)
        #expect(registration.peer == bench.emulator.address)
        #expect(registration.objectPaths.contains(LwM2MPath(19, 0)) && registration.objectPaths.contains(LwM2MPath(19, 1)))
        #expect(bench.takePlatformTexts().contains("#1 Observe /19/0/0 on \(Self.imei) (automatic, after registration)"))

        Self.answerObserve(&bench, observeID)
        var texts = bench.takePlatformTexts()
        #expect(texts.contains("#1 Observe /19/0/0 on \(Self.imei): 2.05 Content"))
        #expect(bench.emulator.platform(.ctIoT)?.server.management.observations(of: Self.imei).map(\.1) == [LwM2MPath(19, 0, 0)])

        // NON, then CON with report / report_ack.
        let non = #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,0"#
        #expect(bench.type(non) == [non, "OK", "+QLANOTIFY: 0"])
        texts = bench.takePlatformTexts()
        #expect(texts.contains("notification #1 /19/0/0 from \(Self.imei) (seq 1)"))
        _ = try Self.notifyConfirmable(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1"#)
        #expect(bench.takePlatformTexts().contains("notification #1 /19/0/0 from \(Self.imei) (seq 2)"))

        // Update: the result line carries the Update's message id; the platform takes the lifetime.
        let update = bench.type("AT+QLAUPDATE=0,100")
        #expect(update.count == 3 && Array(update.prefix(2)) == ["AT+QLAUPDATE=0,100", "OK"])
        #expect(urcField(update.last ?? "", 0) == 0 && update.last?.hasPrefix("+QLAUPDATE: 0,") == true)
        #expect(bench.emulator.platform(.ctIoT)?.registrations.first?.lifetime == 100)

        #expect(bench.type("AT+QLADEREG") == ["AT+QLADEREG", "OK", "+QLADEREG: 0"])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.isEmpty == true)
        #expect(bench.takePlatformTexts().contains("deregistered \(Self.imei)"))
        #expect(bench.type("AT+QSCLK=1") == ["AT+QSCLK=1", "OK"])
        // Nothing went out of the process.
        #expect(bench.external.isEmpty)
        #expect(bench.diagnostics.isEmpty, "\(bench.diagnostics)")
    }

    /// 4.2.2's deep-sleep lines as the note prints them (`//` comments and blank lines left
    /// out), from `AT+QSCLK=1` to the PDP address after waking.
    static let noteDeepSleepTranscript = #"""
        AT+QSCLK=1
        OK
        +QNBIOEVENT: "ENTER DEEPSLEEP"
        +QNBIOEVENT: "EXIT DEEPSLEEP"
        +QLAURC: "recovered",0
        AT+QSCLK=0
        OK
        AT+CEREG?
        +CEREG: 0,1
        OK
        AT+CGPADDR?
        +CGPADDR: 0,"10.177.135.245"
        OK
        """#

    @Test func theDeepSleepPartPrintsTheNotesLinesInTheNotesOrder() throws {
        var bench = EmulatorBench()
        Self.initialised(&bench)
        #expect(bench.type(#"AT+QLACFG="platform",0"#).last == "OK")
        #expect(bench.type(#"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#).last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0").last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0").last == "OK")
        Self.answerObserve(&bench, try Self.register(&bench))
        var lines = bench.type("AT+QSCLK=1")
        lines += bench.run(for: bench.emulator.module.timing.deepSleepIdleMilliseconds + 60_000)
        // The note's waking line is its next command: its bytes wake the module.
        lines += bench.type("AT+QSCLK=0")
        lines += bench.type("AT+CEREG?")
        lines += bench.type("AT+CGPADDR?")
        #expect(lines == Self.noteDeepSleepTranscript.split(separator: "\n").map(String.init))
    }

    /// The second half of 4.2.2: a registered, observed session sleeps and resumes.
    @Test func deepSleepAndRecovery() throws {
        var bench = EmulatorBench()
        Self.initialised(&bench)
        #expect(bench.type(#"AT+QLACFG="platform",0"#).last == "OK")
        #expect(bench.type(#"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#).last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0").last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0").last == "OK")
        Self.answerObserve(&bench, try Self.register(&bench))
        // The first half ends with a deregistration; the second registers again.
        #expect(bench.type("AT+QLADEREG") == ["AT+QLADEREG", "OK", "+QLADEREG: 0"])
        Self.answerObserve(&bench, try Self.register(&bench))
        _ = bench.takePlatformTexts()

        #expect(bench.type("AT+QSCLK=1") == ["AT+QSCLK=1", "OK"])
        // Idle: asleep after the module's idle time, not before.
        let idle = bench.emulator.module.timing.deepSleepIdleMilliseconds
        #expect(bench.run(for: idle - 200).isEmpty)
        #expect(bench.run(for: 200) == [#"+QNBIOEVENT: "ENTER DEEPSLEEP""#])
        #expect(bench.emulator.module.power == .asleep)
        // Asleep long past the first automatic update (250 s at lifetime 300) would lose the
        // session; a minute is well inside it.
        #expect(bench.run(for: 60_000).isEmpty)

        // An AT line wakes it: EXIT DEEPSLEEP, the session resumes with an Update, then the line runs.
        #expect(bench.type("AT+QSCLK=0") == [#"+QNBIOEVENT: "EXIT DEEPSLEEP""#, #"+QLAURC: "recovered",0"#,
                                              "AT+QSCLK=0", "OK"])
        let texts = bench.takePlatformTexts()
        #expect(texts.contains { $0.hasPrefix("update from \(Self.imei)") })
        #expect(bench.type("AT+CEREG?") == ["AT+CEREG?", "+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["AT+CGPADDR?", #"+CGPADDR: 0,"10.177.135.245""#, "OK"])

        // The observation survived: a CON notify (with RAI 2) reaches the platform.
        _ = try Self.notifyConfirmable(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023238",0,1,2"#)
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("notification #") && $0.hasSuffix("(seq 1)") })
        #expect(bench.type("AT+QLADEREG") == ["AT+QLADEREG", "OK", "+QLADEREG: 0"])
        #expect(bench.type("AT+QSCLK=1") == ["AT+QSCLK=1", "OK"])
        #expect(bench.diagnostics.isEmpty, "\(bench.diagnostics)")
    }
}
