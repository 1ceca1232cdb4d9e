import ATProtocol
import CoAP
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

/// The automatic-update clock restarts at every successful Update, whoever asked for it, and
/// overlapping Updates each report their own answer. Over a real server node, in virtual time.
@Suite("Device: the update clock and overlapping Updates")
struct UpdateClockTests {
    /// Updates (`POST /rd/<id>`) the module sent, with their send times.
    static func updates(_ bench: DeviceBench) -> [(at: Instant, message: Message)] {
        bench.sentByDevice.filter { $0.message.code == .post && $0.message.uriPath.count == 2 && $0.message.uriPath[0] == "rd" }
    }

    /// Runs to one millisecond before `due`: nothing; then to `due`: the automatic Update's ping.
    static func expectPing(_ bench: DeviceBench, at due: Instant, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(bench.run(for: due - bench.now - 1) == [], sourceLocation: sourceLocation)
        #expect(bench.run(for: 1) == ["+QLAURC: \"ping\",0"], sourceLocation: sourceLocation)
        #expect(updates(bench).last?.at == due, sourceLocation: sourceLocation)
    }

    @Test func anUpdateTheServerTriggersRestartsTheClock() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench, lifetime: 300)
        bench.run(for: 100_000)
        // Execute /1/0/8 (Registration Update Trigger): the module updates; no line for the TE.
        let (id, _) = bench.serverDoes(.execute(LwM2MPath(1, 0, 8)))
        #expect(bench.run(for: 100) == [])
        #expect(bench.operationResult(id)?.code == .changed)
        let triggered = try #require(Self.updates(bench).last)
        #expect(triggered.at == Instant(milliseconds: bench.now.milliseconds - 100))
        // The next automatic Update is 250 s after that one, not after the Register.
        Self.expectPing(bench, at: triggered.at + 250_000)
        #expect(Self.updates(bench).count == 2)
    }

    @Test func anUpdateAfterTheServerChangedTheLifetimeRestartsTheClockWithTheNewInterval() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench, lifetime: 300)
        bench.run(for: 100_000)
        bench.serverDoes(.write(LwM2MPath(1, 0, 1), EncodedContent(format: .textPlain, bytes: Array("600".utf8))))
        #expect(bench.run(for: 100) == ["+QLAURC: \"lifetime_changed\",600"])
        let told = try #require(Self.updates(bench).last)
        #expect(told.message.uriQuery == ["lt=600"])
        // Lifetime 600: 250 + 300 × 19/20 = 535 s from the Update that told the server.
        Self.expectPing(bench, at: told.at + 535_000)
    }

    @Test func theUpdateOfAnAddedObjectRestartsTheClock() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench, lifetime: 300)
        bench.run(for: 100_000)
        #expect(bench.type("AT+QLAADDOBJ=19,2,1,0") == ["OK", "+QLAADDOBJ: 0"])
        let links = try #require(Self.updates(bench).last)
        #expect(links.message.contentFormat == 40)
        Self.expectPing(bench, at: links.at + 250_000)
    }

    @Test func atQLAUPDATERestartsTheClock() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench, lifetime: 300)
        bench.run(for: 100_000)
        let lines = bench.type("AT+QLAUPDATE=0,300")
        let update = try #require(Self.updates(bench).last)
        #expect(lines == ["OK", "+QLAUPDATE: 0,\(update.message.messageID)"])
        Self.expectPing(bench, at: update.at + 250_000)
    }

    // MARK: Overlapping Updates

    /// Keeps the server from hearing the module, so the test answers each Update by hand.
    static func answerByHand(_ bench: DeviceBench) {
        bench.network.dropFilter = { $0.from == DeviceBench.deviceAddress }
    }

    static func answer(_ bench: DeviceBench, _ update: Message) {
        let ack = Message(type: .acknowledgement, code: .changed, messageID: update.messageID, token: update.token)
        bench.network.send([Datagram(ack.encoded(), peer: DeviceBench.deviceAddress)], from: DeviceBench.serverAddress)
    }

    @Test func eachOverlappingUpdateReportsItsOwnMessageID() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        Self.answerByHand(bench)
        #expect(bench.type("AT+QLAUPDATE=0,600") == ["OK"])
        let first = try #require(Self.updates(bench).last?.message)
        // An object added meanwhile waits for the first Update, then goes in its own.
        #expect(bench.type("AT+QLAADDOBJ=19,2,1,0") == ["OK"])
        #expect(Self.updates(bench).count == 1)
        Self.answer(bench, first)
        #expect(bench.run(for: 100) == ["+QLAUPDATE: 0,\(first.messageID)"])
        let second = try #require(Self.updates(bench).last?.message)
        #expect(second.messageID != first.messageID && second.contentFormat == 40)
        Self.answer(bench, second)
        #expect(bench.run(for: 100) == ["+QLAADDOBJ: 0"])
    }

    @Test func twoRequestsCarriedByOneUpdateBothComplete() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        Self.answerByHand(bench)
        #expect(bench.type("AT+QLAUPDATE=0,600") == ["OK"])
        let first = try #require(Self.updates(bench).last?.message)
        #expect(bench.type("AT+QLAADDOBJ=20,0,1,0") == ["OK"])
        #expect(bench.type("AT+QLADELOBJ=20") == ["OK"])
        Self.answer(bench, first)
        #expect(bench.run(for: 100) == ["+QLAUPDATE: 0,\(first.messageID)"])
        // One Update carries both object changes, and its answer completes both.
        #expect(Self.updates(bench).count == 2)
        Self.answer(bench, try #require(Self.updates(bench).last?.message))
        #expect(bench.run(for: 100) == ["+QLAADDOBJ: 0", "+QLADELOBJ: 0"])
        #expect(bench.module.isIdle)
    }

    @Test func theAnswerToAServerTriggeredUpdateIsNotTheTEs() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        Self.answerByHand(bench)
        bench.serverDoes(.execute(LwM2MPath(1, 0, 8)))
        #expect(bench.run(for: 100) == [])
        let triggered = try #require(Self.updates(bench).last?.message)
        #expect(bench.type("AT+QLAUPDATE=0,600") == ["OK"])
        Self.answer(bench, triggered)
        #expect(bench.run(for: 100) == [], "the server's Update answered: nothing for the TE yet")
        let own = try #require(Self.updates(bench).last?.message)
        #expect(own.messageID != triggered.messageID && own.uriQuery == ["lt=600"])
        Self.answer(bench, own)
        #expect(bench.run(for: 100) == ["+QLAUPDATE: 0,\(own.messageID)"])
    }
}
