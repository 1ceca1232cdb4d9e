import CoAP
import Testing
@testable import LwM2M

/// The client's "owner answers" mode: requests on owner-answered objects wait for the owner.
@Suite struct LwM2MClientOwnerAnswersTests {
    func ownerClient() -> LwM2MClient {
        registeredClient { $0.ownerAnsweredObjects = [19]; $0.automaticUpdates = false }
    }

    func held(_ actions: [LwM2MClient.Action]) -> HeldRequest? {
        for e in actions.events { if case .heldForOwner(let h) = e { return h } }
        return nil
    }

    @Test func aReadOnAnOwnerObjectWaitsForTheOwnersAnswer() throws {
        var client = ownerClient()
        let out = client.receive(serverRequest(.get, "/19/0/0", mid: 4711, token: [7]), from: testServer, now: at(1_000))
        #expect(out.messages.isEmpty)
        let h = try #require(held(out))
        #expect(h.messageID == 4711 && h.path == LwM2MPath(19, 0, 0) && h.operation == .read && h.peer == testServer)
        #expect(client.isHolding(messageID: 4711, from: testServer))
        #expect(!client.isHolding(messageID: 4711, from: testBootstrapServer))

        let answer = client.answer(heldRequest: 4711, code: .content,
                                   content: EncodedContent(format: .opaque, bytes: [0xCA, 0xFE]), now: at(2_000))
        let r = try #require(answer.messages.first)
        #expect(r.messageID == 4711 && r.token == (Token([7]) ?? .empty) && r.code == .content)
        #expect(r.contentFormat == 42 && r.payload == [0xCA, 0xFE])
        #expect(answer.events == [.served(ServedRequest(kind: .read, path: "/19/0/0", code: .content, messageID: 4711))])
        #expect(!client.isHolding(messageID: 4711, from: testServer))
        // Answering twice does nothing.
        #expect(client.answer(heldRequest: 4711, code: .content, content: nil, now: at(3_000)).isEmpty)
    }

    @Test func otherObjectsAndOtherOperationsStayWithTheTree() throws {
        var client = ownerClient()
        let device = client.receive(serverRequest(.get, "/3/0/0"), from: testServer, now: at(1_000))
        #expect(device.messages.first?.code == .content && held(device) == nil)
        let discover = client.receive(serverRequest(.get, "/19/0", mid: 2, accept: 40), from: testServer, now: at(1_000))
        #expect(discover.messages.first?.code == .content && held(discover) == nil)
        let attributes = client.receive(serverRequest(.put, "/19/0/0", mid: 3, query: ["pmin=5"]), from: testServer, now: at(1_000))
        #expect(attributes.messages.first?.code == .changed && held(attributes) == nil)
        #expect(client.heldRequests.isEmpty)
    }

    @Test func writesAndExecutesCarryWhatTheServerSent() throws {
        var client = ownerClient()
        let before = client.objects.resource(at: LwM2MPath(19, 0, 0))
        let put = client.receive(serverRequest(.put, "/19/0/0", mid: 10, format: 42, payload: [1, 2, 3]),
                                 from: testServer, now: at(1_000))
        #expect(held(put)?.operation == .write(EncodedContent(format: .opaque, bytes: [1, 2, 3]), mode: .replace))
        let post = client.receive(serverRequest(.post, "/19/0", mid: 11, format: 11542, payload: [0xC1, 0, 5]),
                                  from: testServer, now: at(1_000))
        #expect(held(post)?.operation == .write(EncodedContent(format: .tlv, bytes: [0xC1, 0, 5]), mode: .partialUpdate))
        let exec = client.receive(serverRequest(.post, "/19/0/0", mid: 12, payload: Array("1".utf8)),
                                  from: testServer, now: at(1_000))
        #expect(held(exec)?.operation == .execute(arguments: Array("1".utf8)))
        #expect(client.heldRequests.map(\.messageID) == [10, 11, 12])
        let answer = client.answer(heldRequest: 11, code: .changed, content: nil, now: at(2_000))
        #expect(answer.messages.first?.code == .changed && answer.messages.first?.messageID == 11)
        // The tree was not touched: the owner keeps the values.
        #expect(client.objects.resource(at: LwM2MPath(19, 0, 0)) == before)
    }

    @Test func anAnsweredObserveStartsARelationTheOwnerNotifies() throws {
        var client = ownerClient()
        let observe = client.receive(serverRequest(.get, "/19/0/0", mid: 20, token: [9, 9], observe: 0),
                                     from: testServer, now: at(1_000))
        #expect(held(observe)?.operation == .observe)
        #expect(client.observedPaths.isEmpty)
        let answer = client.answer(heldRequest: 20, code: .content,
                                   content: EncodedContent(format: .opaque, bytes: [0x02]), now: at(1_500))
        let r = try #require(answer.messages.first)
        #expect(r.code == .content && r.observe == 0 && r.token == (Token([9, 9]) ?? .empty))
        #expect(answer.events.contains(.observationStarted(LwM2MPath(19, 0, 0), token: (Token([9, 9]) ?? .empty))))
        #expect(client.observedPaths == [LwM2MPath(19, 0, 0)])
        // The tree has no value there, yet time passing neither notifies nor ends the relation.
        #expect(client.nextDeadline == nil)
        #expect(client.advance(to: at(500_000)).isEmpty)
        #expect(client.observedPaths == [LwM2MPath(19, 0, 0)])

        let (tokens, sent) = client.notify(LwM2MPath(19, 0, 0), content: EncodedContent(format: .opaque, bytes: [0xAA]),
                                           confirmable: true, now: at(600_000))
        #expect(tokens == [(Token([9, 9]) ?? .empty)])
        let n = try #require(sent.messages.first)
        #expect(n.type == .confirmable && n.code == .content && n.observe == 1 && n.payload == [0xAA] && n.contentFormat == 42)
        let (_, second) = client.notify(LwM2MPath(19, 0, 0), content: EncodedContent(format: .opaque, bytes: [0xBB]),
                                        confirmable: false, now: at(600_001))
        #expect(second.messages.first?.type == .nonConfirmable && second.messages.first?.observe == 2)
        #expect(client.notify(LwM2MPath(19, 1, 0), content: EncodedContent(format: .opaque, bytes: []),
                              confirmable: false, now: at(600_002)).0.isEmpty)
    }

    @Test func aRefusedObserveStartsNothingAndACancelEndsTheRelation() throws {
        var client = ownerClient()
        _ = client.receive(serverRequest(.get, "/19/0/0", mid: 30, token: [1], observe: 0), from: testServer, now: at(0))
        let refused = client.answer(heldRequest: 30, code: .notFound, content: nil, now: at(10))
        #expect(refused.messages.first?.code == .notFound && refused.messages.first?.observe == nil)
        #expect(client.observedPaths.isEmpty)

        _ = client.receive(serverRequest(.get, "/19/0/0", mid: 31, token: [2], observe: 0), from: testServer, now: at(20))
        _ = client.answer(heldRequest: 31, code: .content, content: nil, now: at(30))
        #expect(client.observedPaths == [LwM2MPath(19, 0, 0)])
        let cancel = client.receive(serverRequest(.get, "/19/0/0", mid: 32, token: [2], observe: 1), from: testServer, now: at(40))
        #expect(held(cancel)?.operation == .cancelObservation)
        #expect(client.observedPaths.isEmpty)
        #expect(client.answer(heldRequest: 32, code: .content, content: nil, now: at(50)).messages.first?.code == .content)
    }

    @Test func anUnknownObjectIsNotFoundAtOnce() throws {
        var client = registeredClient { $0.ownerAnsweredObjects = [19, 20] }
        let out = client.receive(serverRequest(.get, "/20/0/0"), from: testServer, now: at(0))
        #expect(out.messages.first?.code == .notFound && held(out) == nil)
    }

    @Test func withoutAutomaticUpdatesNoUpdateIsScheduled() {
        let automatic = registeredClient()
        #expect(automatic.nextDeadline == at(250_000))
        let quiet = ownerClient()
        #expect(quiet.nextDeadline == nil)
        let queue = registeredClient(binding: "UQ") { $0.automaticUpdates = false; $0.sleepsInQueueMode = false }
        #expect(queue.nextDeadline == nil)
    }

    @Test func deregistrationDropsHeldRequests() {
        var client = ownerClient()
        _ = client.receive(serverRequest(.get, "/19/0/0", mid: 40), from: testServer, now: at(0))
        let dereg = client.deregister(now: at(1)).requests[0]
        _ = client.receive(ack(dereg, .deleted), from: testServer, now: at(2))
        #expect(client.heldRequests.isEmpty)
        #expect(client.answer(heldRequest: 40, code: .content, content: nil, now: at(3)).isEmpty)
    }
}
