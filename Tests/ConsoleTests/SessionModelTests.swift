import ATProtocol
import CoAP
import Testing
@testable import Console

@Suite struct SessionModelTests {
    @Test func ctIoTRegistrationBuildsTreeStatusAndAPendingObserve() {
        var model = SessionModel()
        Transcripts.feed(Transcripts.ctIoT, to: &model)

        #expect(model.status.lwm2m == .registered)
        #expect(model.status.lwm2mSource == "+QLAREG: 0")
        let server = model.status.server
        #expect(server?.host == "180.101.147.115" && server?.port == 5683)
        #expect(server?.endpoint == "867724030023557" && server?.lifetime == 300 && server?.securityMode == 3)
        #expect(model.status.platformName == "CT IoT")
        #expect(model.status.lastResult?.source == "QLAREG" && model.status.lastResult?.code == 0)

        // Built-ins plus the two added instances of object 19.
        #expect(model.objects.objects.map(\.id) == [0, 1, 3, 4, 5, 19])
        let nineteen = model.objects.object(19)
        #expect(nineteen?.isBuiltIn == false)
        #expect(nineteen?.instances.map(\.id) == [0, 1])
        #expect(nineteen?.instances.map { $0.resources.map(\.id) } == [[0], [0]])

        #expect(model.pending.map(\.messageID) == [23618])
        #expect(model.pending.first?.operation == .observe)
        #expect(model.isPending(19, 0, 0) && !model.isPending(19, 1, 0))
        let answer = model.suggestedAnswer
        #expect(answer == #"AT+QLAOBSRSP=23618,1,19,0,0,1,0,"",0"#)
        // The suggestion is a line the module accepts.
        if let answer { #expect((try? CommandCatalogue.bc260y.check(answer).get()) != nil) }
        #expect(model.log.entries.last?.kind == .urc && model.log.entries.last?.messageID == 23618)
    }

    @Test func answeringTheObserveClearsItAndMarksTheResourceObserved() {
        var model = SessionModel()
        let t = Transcripts.feed(Transcripts.ctIoT, to: &model)
        Transcripts.feed(Transcripts.ctIoTAnswerAndNotify, to: &model, from: t)

        #expect(model.pending.isEmpty && model.suggestedAnswer == nil)
        let resource = model.objects.resource(19, 0, 0)
        #expect(resource?.observed == true)
        #expect(resource?.lastValue == ResourceReading(valueType: 2, value: .string("020001000400023438")))
        #expect(model.objects.resource(19, 1, 0)?.observed == false)
        #expect(model.status.counters.uplinks == 2)
        #expect(model.status.counters.acknowledged == 1)
        #expect(model.status.server?.lifetime == 100)
        #expect(model.status.lastResult?.source == "QLAUPDATE")
        #expect(model.status.nextUpdateAt != nil)
    }

    @Test func deregisteringAndSleepingShowInStatus() {
        var model = SessionModel()
        var t = Transcripts.feed(Transcripts.ctIoT, to: &model)
        t = Transcripts.feed(Transcripts.ctIoTAnswerAndNotify, to: &model, from: t)
        Transcripts.feed(Transcripts.ctIoTDeregister, to: &model, from: t)
        #expect(model.status.lwm2m == .deregistered)
        #expect(model.status.asleep)
        #expect(model.status.nextUpdateAt == nil)
    }

    @Test func andlinkReadThenWriteSuggestsEachAnswerInTurn() {
        var model = SessionModel()
        let t = Transcripts.feed(Transcripts.andlink, to: &model)
        #expect(model.status.server?.bootstrap == true)
        #expect(model.status.server?.binding == 0)
        #expect(model.status.platformName == "CM Andlink")
        #expect(model.objects.resource(3, 0, 17)?.lastValue?.value == .string("500677"))
        #expect(model.pending.map(\.operation) == [.read])
        #expect(model.suggestedAnswer == #"AT+QLARDRSP=8095,1,19,1,0,1,0,"",0"#)

        Transcripts.feed(Transcripts.andlinkAnswers, to: &model, from: t)
        #expect(model.pending.map(\.operation) == [.write])
        #expect(model.suggestedAnswer == "AT+QLAWRRSP=8096,2")
        // The write URC's value is the resource's value now.
        #expect(model.objects.resource(19, 1, 0)?.lastValue == ResourceReading(valueType: 1, value: .string(#"{"outletStatus":"1"}"#)))

        model.sent("AT+QLAWRRSP=8096,2", at: Instant(milliseconds: 60_000))
        model.received("OK", at: Instant(milliseconds: 60_010))
        #expect(model.pending.isEmpty)
    }

    @Test func aReadOfAKnownResourceSuggestsItsLastValue() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLAADDOBJ=19,0,1,0
            OK
            +QLAURC: "observe",5,0,19,0,0
            > AT+QLAOBSRSP=5,1,19,0,0,2,2,"abcd",0
            OK
            > AT+QLANOTIFY=19,0,0,1,5,"hello",0
            OK
            +QLAURC: "read",6,19,0,0
            """, to: &model)
        #expect(model.suggestedAnswer == #"AT+QLARDRSP=6,1,19,0,0,1,5,"hello",0"#)
    }

    @Test func errorChangesNothingAndExplainsAnInvalidLine() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLAADDOBJ=19,0,2,0
            ERROR
            > AT+QLAADDOBJ=19,0,1,0
            ERROR
            """, to: &model)
        #expect(model.objects.object(19) == nil)
        let notes = model.log.entries.filter { $0.kind == .note }.map(\.text)
        #expect(notes.count == 1)
        #expect(notes.first?.contains("resource_number") == true)
        #expect(model.status.counters.errors == 2 && model.status.counters.commandsSent == 2)
    }

    @Test func theEchoIsNotLoggedTwiceAndLinesAreClassified() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLASTATUS?
            AT+QLASTATUS?
            +QLASTATUS: 1
            OK
            > AT+QBOGUS
            ERROR
            """, to: &model)
        #expect(model.log.entries.map(\.kind) == [.command, .result, .ok, .command, .error, .note])
        #expect(model.status.lwm2m == .registering)
        #expect(model.status.lwm2mSource == "AT+QLASTATUS?")
    }

    @Test func queryAnswersFillStatusAndTree() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLAADDOBJ=17,0,1,0
            OK
            > AT+QLAADDOBJ?
            +QLAADDOBJ: 19,0,4,0,1,2,3
            +QLAADDOBJ: 19,1,1,0
            OK
            > AT+QLACONFIG?
            +QLACONFIG: 0,"10.0.0.1",5684,"dev",86400,0,"id","secret",1
            OK
            > AT+QLACFG?
            +QLACFG: "retransmit",2,5
            +QLACFG: "auto_ack",0
            +QLACFG: "platform",1
            +QLACFG: "lifetime_enable",1
            OK
            """, to: &model)
        #expect(model.objects.objects.map(\.id) == [0, 1, 3, 4, 5, 19])
        #expect(model.objects.object(19)?.instances.map { $0.resources.map(\.id) } == [[0, 1, 2, 3], [0]])
        #expect(model.status.server == ClientStatus.Server(bootstrap: false, host: "10.0.0.1", port: 5684, endpoint: "dev",
                                                            lifetime: 86400, securityMode: 0, pskIdentity: "id", hasPSK: true,
                                                            binding: 1))
        #expect(model.status.setting(.retransmit) == "2,5")
        #expect(model.status.platformName == "CT AEP")
        // The PSK never reaches the log.
        #expect(!model.log.entries.contains { $0.text.contains("secret") })
        #expect(model.log.entries.contains { $0.text.contains("********") })
    }

    @Test func aPSKTypedInACommandIsMaskedInTheLog() {
        var model = SessionModel()
        model.sent(#"AT+QLACONFIG=0,"h",5684,"ep",300,0,"id","topsecret""#, at: .zero)
        model.received(#"AT+QLACONFIG=0,"h",5684,"ep",300,0,"id","topsecret""#, at: .zero)
        model.received("OK", at: .zero)
        #expect(model.log.entries.map(\.text) == [#"AT+QLACONFIG=0,"h",5684,"ep",300,0,"id","********""#, "OK"])
        #expect(model.status.server?.hasPSK == true && model.status.server?.pskIdentity == "id")
    }

    @Test func autoAckObservesWithoutAPendingRequestAndCancelUnobserves() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLACFG="auto_ack",1
            OK
            +QLAURC: "observe",7,0,19,0,0
            """, to: &model)
        #expect(model.pending.isEmpty && model.objects.resource(19, 0, 0)?.observed == true)
        Transcripts.feed("""
            > AT+QLACFG="auto_ack",0
            OK
            +QLAURC: "observe",8,1,19,0,0
            > AT+QLAOBSRSP=8,1,19,0,0,1,0,"",0
            OK
            """, to: &model, from: Instant(milliseconds: 5_000))
        #expect(model.pending.isEmpty && model.objects.resource(19, 0, 0)?.observed == false)
    }

    @Test func deletingAnObjectAndMalformedLinesNeverTrap() {
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QLAADDOBJ=19,0,1,0
            OK
            > AT+QLADELOBJ=19
            OK
            > AT+QLADELOBJ=3
            OK
            +QLAURC: "observe",x,0,19,0,0
            +QLAURC: "read"
            +QLASTATUS: 99
            +QLAREG:
            "unterminated
            """, to: &model)
        #expect(model.objects.objects.map(\.id) == [0, 1, 3, 4, 5])
        #expect(model.pending.isEmpty)
        #expect(model.status.lwm2m == nil)
        model.received(FramedLine(raw: [0xFF], terminator: 0x0D, content: .invalid(.notUTF8(offset: 0))), at: .zero)
        #expect(model.log.last?.kind == .error)
    }

    @Test func theLogKeepsItsCap() {
        var model = SessionModel(logCapacity: 5)
        for n in 0..<12 { model.received("+CSQ: \(n),0", at: Instant(milliseconds: Int64(n))) }
        #expect(model.log.count == 5)
        #expect(model.log.droppedCount == 7)
        #expect(model.log.entries.map(\.text) == (7..<12).map { "+CSQ: \($0),0" })
        #expect(model.log.entries.map(\.sequence) == Array(7..<12))
    }

    @Test func theWakingLinesEchoAfterRecoveredIsStillItsEcho() {
        // Note 4.2.2: the line that wakes the module is echoed and answered after "recovered".
        var model = SessionModel()
        Transcripts.feed("""
            > AT+QSCLK=0
            +QNBIOEVENT: "EXIT DEEPSLEEP"
            +QLAURC: "recovered",0
            AT+QSCLK=0
            OK
            """, to: &model)
        #expect(model.log.entries.map(\.text) == ["AT+QSCLK=0", "+QNBIOEVENT: \"EXIT DEEPSLEEP\"", "+QLAURC: \"recovered\",0", "OK"])
        #expect(model.status.lwm2m == .registered && !model.status.asleep)
    }

    @Test func theRecoveredAndPingURCsUpdateStatus() {
        var model = SessionModel()
        Transcripts.feed("""
            +QLAURC: "recovered",0
            +QLAURC: "ping",1
            +QNBIOEVENT: "EXIT DEEPSLEEP"
            """, to: &model)
        #expect(model.status.lwm2m == .registered)
        #expect(model.status.lastResult?.source == "ping" && model.status.lastResult?.meaning == "timeout")
        #expect(model.status.counters.timeouts == 1 && model.status.counters.urcs == 3)
        #expect(!model.status.asleep)
    }
}
