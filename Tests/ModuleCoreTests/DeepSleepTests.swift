import ATProtocol
import CoAP
import LwM2M
import Testing
@testable import ModuleCore

@Suite("Deep sleep")
struct DeepSleepTests {
    /// A bench with echo off and sleep allowed, idle timer 10 s (the default).
    static func sleepyBench() -> ModuleBench {
        var bench = ModuleBench()
        bench.type("AT+QSCLK=1")
        return bench
    }

    @Test func entersAfterExactlyTheIdleTime() {
        var bench = Self.sleepyBench()
        #expect(bench.module.nextDeadline == Instant(milliseconds: 10_000))
        #expect(bench.advance(toMilliseconds: 9_999) == [])
        #expect(bench.advance(toMilliseconds: 10_000) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
        #expect(bench.module.power == .asleep)
        #expect(bench.module.nextDeadline == nil)
        #expect(bench.session.requests.isEmpty, "no session to suspend")
    }

    @Test func everyLineRestartsTheIdleTimer() {
        var bench = Self.sleepyBench()
        bench.advance(toMilliseconds: 9_000)
        bench.type("AT")
        #expect(bench.advance(toMilliseconds: 18_999) == [])
        #expect(bench.advance(toMilliseconds: 19_000) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
    }

    @Test func configurableIdleTime() {
        var bench = ModuleBench(timing: ModuleTiming(deepSleepIdleMilliseconds: 2_500))
        bench.type("AT+QSCLK=1")
        #expect(bench.advance(toMilliseconds: 2_500) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
    }

    @Test func neverWithSleepForbidden() {
        var bench = ModuleBench()
        #expect(bench.module.nextDeadline == nil)
        #expect(bench.advance(toMilliseconds: 3_600_000) == [])
    }

    @Test func theNextLineWakesTheModuleAndRuns() {
        var bench = Self.sleepyBench()
        bench.advance(toMilliseconds: 10_000)
        bench.advance(toMilliseconds: 60_000)
        #expect(bench.type("AT+QSCLK=0") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\"", "OK"], "not registered: no recovered URC")
        #expect(bench.module.power == .on)
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["+CGPADDR: 0,\"10.177.135.245\"", "OK"])
    }

    @Test func halfALineDoesNotWake() {
        var bench = Self.sleepyBench()
        bench.advance(toMilliseconds: 10_000)
        #expect(bench.send(bytes: Array("AT".utf8)) == [])
        #expect(bench.module.power == .asleep)
        #expect(bench.send(bytes: [0x0D]) == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\"", "OK"])
    }

    @Test func notWhileAnExchangeIsUnderWay() throws {
        var bench = Self.sleepyBench()
        bench.configure()
        bench.type("AT+QLAREG")
        #expect(bench.advance(toMilliseconds: 60_000) == [], "registering: awake")
        bench.event(.outcome(bench.session.lastRegister!.id, .completed(.success)))
        // A server request waiting for the TE keeps the module awake too.
        bench.event(.serverRequest(.read(messageID: 1, path: .init(19, 0, 0), uriQuery: nil)))
        #expect(bench.advance(toMilliseconds: 120_000) == [])
        bench.type("AT+QLARDRSP=1,1,19,0,0,1,1,\"a\",0")
        let respond = try #require(bench.session.lastRespond)
        #expect(bench.advance(toMilliseconds: 200_000) == [], "the answer's outcome is outstanding")
        bench.event(.outcome(respond.id, .completed(.success)))
        #expect(bench.module.nextDeadline == Instant(milliseconds: 210_000), "idle from the last event")
        #expect(bench.advance(toMilliseconds: 210_000) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
    }

    @Test func wakeResumesTheSessionAndObservationsSurvive() throws {
        var bench = Self.sleepyBench()
        bench.register(lifetime: 86_400)
        bench.observe(LwM2MPathFixture.data)
        bench.advance(bySeconds: 10)
        #expect(bench.module.power == .asleep)
        #expect(bench.session.last?.action == .suspend)
        bench.advance(toMilliseconds: 3_600_000)
        // The waking line waits for the recovery (note 4.2.2), and so does any after it.
        #expect(bench.type("AT+QSCLK=0") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\""])
        #expect(bench.session.last?.action == .resume)
        #expect(bench.status == .recoveringSession)
        #expect(bench.type("AT+QLASTATUS?") == [])
        let resume = try #require(bench.session.last)
        #expect(bench.event(.outcome(resume.id, .completed(.success)))
                == ["+QLAURC: \"recovered\",0", "OK", "+QLASTATUS: 2", "OK"])
        #expect(bench.status == .registered)
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,1") == ["OK"], "the observation survived")
    }

    /// Registered, asleep, and woken by `line` at 3 600 s; the resume is outstanding.
    static func wokenRecovering(by line: String = "AT+QSCLK=0", setUp: (inout ModuleBench) -> Void = { _ in })
        -> ModuleBench {
        var bench = Self.sleepyBench()
        setUp(&bench)
        bench.register(lifetime: 86_400)
        bench.advance(bySeconds: 10)
        bench.advance(toMilliseconds: 3_600_000)
        #expect(bench.type(line) == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\""])
        #expect(bench.session.last?.action == .resume)
        return bench
    }

    /// A resume whose outcome never comes is given up when the longest recovery could be over:
    /// the Update's retransmissions (2,5: 2+4+...+64 = 126 s) and one ACK_timeout more. Then
    /// `"recovered",1`, the session is dropped, and the lines that waited run.
    @Test func aRecoveryNeverReportedIsGivenUpAndTheWaitingLinesRun() throws {
        var bench = Self.wokenRecovering()
        let resume = try #require(bench.session.last)
        #expect(bench.type("AT+QLASTATUS?") == [])
        #expect(bench.module.nextDeadline == Instant(milliseconds: 3_600_000 + 128_000))
        #expect(bench.advance(toMilliseconds: 3_600_000 + 127_999) == [])
        #expect(bench.advance(toMilliseconds: 3_600_000 + 128_000)
                == ["+QLAURC: \"recovered\",1", "OK", "+QLASTATUS: 7", "OK"])
        #expect(bench.session.last?.action == .discard)
        #expect(bench.diagnostics.contains { $0.contains("recovery") && $0.contains("given up") }, "\(bench.diagnostics)")
        // The outcome, should it come after all, changes nothing.
        #expect(bench.event(.outcome(resume.id, .completed(.success))) == [])
        #expect(bench.status == .sessionNeedsRecovery)
        #expect(bench.type("AT+QLAREG") == ["OK"], "register again, as after any failed recovery")
    }

    /// The deadline follows AT+QLACFG="retransmit" (4,2: 4+8+16 = 28 s, plus 4 s), doubled for
    /// a DTLS server (the handshake comes first, on the same schedule).
    @Test func theRecoveryDeadlineFollowsTheRetransmitSettingAndSecurity() {
        var plain = Self.wokenRecovering { #expect($0.type("AT+QLACFG=\"retransmit\",4,2") == ["OK"]) }
        #expect(plain.module.nextDeadline == Instant(milliseconds: 3_600_000 + 32_000))
        var secure = Self.sleepyBench()
        #expect(secure.type(#"AT+QLACONFIG=0,"180.101.147.115",5684,"867724030023557",86400,0,"id","key""#) == ["OK"])
        secure.type("AT+QLAREG")
        secure.event(.outcome(secure.session.lastRegister!.id, .completed(.success)))
        secure.advance(bySeconds: 10)
        secure.advance(toMilliseconds: 3_600_000)
        #expect(secure.type("AT") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\""])
        #expect(secure.module.nextDeadline == Instant(milliseconds: 3_600_000 + 254_000))
        #expect(plain.advance(toMilliseconds: 3_600_000 + 32_000) == ["+QLAURC: \"recovered\",1", "OK"])
    }

    /// While the recovery is under way at most ``EmulatedModule/recoveryQueueLimit`` lines wait
    /// (the waking one included); any more are refused at once, as a busy module would.
    @Test func theLinesWaitingForTheRecoveryAreBounded() throws {
        var bench = Self.wokenRecovering()
        let limit = EmulatedModule.recoveryQueueLimit
        for _ in 1..<limit { #expect(bench.type("AT+CEREG?") == []) }
        #expect(bench.type("AT+QRST=1") == ["ERROR"], "one line too many")
        #expect(bench.type("AT") == ["ERROR"])
        let resume = try #require(bench.session.last)
        let answers = bench.event(.outcome(resume.id, .completed(.success)))
        #expect(answers == ["+QLAURC: \"recovered\",0", "OK"] + Array(repeating: ["+CEREG: 0,1", "OK"], count: limit - 1).flatMap { $0 })
        #expect(bench.module.power == .on, "the refused AT+QRST=1 never ran")
        #expect(bench.type("AT") == ["OK"], "not recovering any more: lines run at once")
    }

    @Test func lifetimeOverDuringSleepGivesRecovered3() {
        var bench = Self.sleepyBench()
        bench.register(lifetime: 300)
        let registeredAt = bench.now.milliseconds
        bench.advance(bySeconds: 10)
        #expect(bench.module.power == .asleep)
        bench.advance(toMilliseconds: registeredAt + 300_000)
        #expect(bench.type("AT") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\"", "+QLAURC: \"recovered\",3", "OK"])
        #expect(bench.session.last?.action == .discard)
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 7", "OK"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,0") == ["ERROR"])
        #expect(bench.type("AT+QLAREG") == ["OK"], "the note's advice: register again")
    }

    @Test func wakeJustBeforeTheLifetimeEndsStillResumes() {
        var bench = Self.sleepyBench()
        bench.register(lifetime: 300)
        let registeredAt = bench.now.milliseconds
        bench.advance(bySeconds: 10)
        bench.advance(toMilliseconds: registeredAt + 299_999)
        #expect(bench.type("AT") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\""])
        #expect(bench.session.last?.action == .resume)
    }

    @Test func failedRecoveryNeedsANewRegistration() throws {
        var bench = Self.sleepyBench()
        bench.register()
        bench.advance(bySeconds: 10)
        bench.type("AT")
        let resume = try #require(bench.session.last)
        #expect(bench.event(.outcome(resume.id, .completed(.timeout))) == ["+QLAURC: \"recovered\",1", "OK"])
        #expect(bench.status == .sessionNeedsRecovery)
    }

    @Test func sessionEventsAreIgnoredWhileAsleep() {
        var bench = Self.sleepyBench()
        bench.register()
        bench.advance(bySeconds: 10)
        #expect(bench.event(.serverRequest(.read(messageID: 4, path: .init(3, 0, 0), uriQuery: nil))) == [])
        #expect(bench.diagnostics.last?.contains("asleep") == true)
    }
}
