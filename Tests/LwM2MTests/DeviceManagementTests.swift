import CoAP
import Testing
@testable import LwM2M

@Suite struct DeviceManagementTests {
    let peer = PeerAddress(host: "10.0.0.2", port: 5000)

    func registration(binding: String = "U", heard: Int64 = 0) -> Registration {
        Registration(id: "1", endpoint: "dev", lifetime: 300, lwm2mVersion: "1.0", binding: binding,
                     smsNumber: nil, objectLinks: [Link(LwM2MPath(3, 0))], peer: peer,
                     registeredAt: Instant(milliseconds: heard), lastHeardAt: Instant(milliseconds: heard))
    }

    func sent(_ a: [DeviceManagement.Action]) -> [Message] {
        a.compactMap { if case .send(let m, _) = $0 { m } else { nil } }
    }
    func events(_ a: [DeviceManagement.Action]) -> [DeviceManagement.Event] {
        a.compactMap { if case .event(let e) = $0 { e } else { nil } }
    }
    func answer(_ request: Message, _ code: Code, observe: UInt32? = nil, format: UInt32? = nil,
                payload: String = "") -> Message {
        var m = Message(type: .acknowledgement, code: code, messageID: request.messageID, token: request.token)
        m.observe = observe
        m.contentFormat = format
        m.payload = Array(payload.utf8)
        return m
    }

    @Test func eachOperationBecomesTheRightRequest() {
        let content = EncodedContent(format: .tlv, bytes: [0xC1, 0x00, 0x05])
        let cases: [(DeviceOperation, String)] = [
            (.read(LwM2MPath(3, 0, 0)), "0.01 /3/0/0 accept=- obs=- cf=- q="),
            (.read(LwM2MPath(3, 0), accept: .tlv), "0.01 /3/0 accept=11542 obs=- cf=- q="),
            (.discover(LwM2MPath(3)), "0.01 /3 accept=40 obs=- cf=- q="),
            (.write(LwM2MPath(1, 0), content), "0.03 /1/0 accept=- obs=- cf=11542 q="),
            (.write(LwM2MPath(1, 0), content, mode: .partialUpdate), "0.02 /1/0 accept=- obs=- cf=11542 q="),
            (.writeAttributes(LwM2MPath(3, 0, 9), query: ["pmin=10", "pmax"]), "0.03 /3/0/9 accept=- obs=- cf=- q=pmin=10&pmax"),
            (.execute(LwM2MPath(3, 0, 4)), "0.02 /3/0/4 accept=- obs=- cf=- q="),
            (.execute(LwM2MPath(3, 0, 4), arguments: "0='x'"), "0.02 /3/0/4 accept=- obs=- cf=0 q="),
            (.create(objectID: 19, content), "0.02 /19 accept=- obs=- cf=11542 q="),
            (.delete(LwM2MPath(19, 1)), "0.04 /19/1 accept=- obs=- cf=- q="),
            (.observe(LwM2MPath(19, 0, 0)), "0.01 /19/0/0 accept=- obs=0 cf=- q="),
            (.cancelObservation(LwM2MPath(19, 0, 0)), "0.01 /19/0/0 accept=- obs=1 cf=- q="),
        ]
        for (op, expected) in cases {
            let m = op.request(token: .empty)
            let text = "\(m.code) \(m.path) accept=\(m.accept.map(String.init) ?? "-") obs=\(m.observe.map(String.init) ?? "-") cf=\(m.contentFormat.map(String.init) ?? "-") q=\(m.uriQuery.joined(separator: "&"))"
            #expect(text == expected, "\(op)")
            #expect(m.type == .confirmable)
        }
    }

    @Test func responsesCompleteTheirOperationByToken() {
        var dm = DeviceManagement()
        let (a, outA) = dm.perform(.read(LwM2MPath(3, 0, 0)), on: registration(), now: .zero)
        let (b, outB) = dm.perform(.delete(LwM2MPath(19, 1)), on: registration(), now: .zero)
        let ra = sent(outA)[0], rb = sent(outB)[0]
        #expect(ra.token != rb.token)
        // Answers in the opposite order still reach the right operation.
        let eb = events(dm.receive(response: answer(rb, .notFound), from: peer, now: .zero))
        #expect(eb == [.failed(b, endpoint: "dev", .delete(LwM2MPath(19, 1)), .response(.notFound))])
        let ea = events(dm.receive(response: answer(ra, .content, format: 0, payload: "Quectel"), from: peer, now: .zero))
        #expect(ea == [.completed(a, endpoint: "dev", .read(LwM2MPath(3, 0, 0)),
                                  OperationResponse(code: .content, content: EncodedContent(format: .textPlain, bytes: Array("Quectel".utf8))))])
        #expect(dm.receive(response: answer(ra, .content), from: peer, now: .zero).isEmpty)
    }

    @Test func timeoutsAndResetsFailTheOperation() {
        var dm = DeviceManagement()
        let (id, out) = dm.perform(.execute(LwM2MPath(3, 0, 4)), on: registration(), now: .zero)
        let e = events(dm.exchangeFailed(token: sent(out)[0].token, .timeout, now: .zero))
        #expect(e == [.failed(id, endpoint: "dev", .execute(LwM2MPath(3, 0, 4)), .timeout)])
        #expect(!dm.isAwaiting(sent(out)[0].token))
    }

    @Test func observeOpensAnObservationThatDeliversNotificationsInOrder() {
        var dm = DeviceManagement()
        let path = LwM2MPath(19, 0, 0)
        let (id, out) = dm.perform(.observe(path), on: registration(), now: .zero)
        let req = sent(out)[0]
        _ = dm.receive(response: answer(req, .content, observe: 5, format: 42, payload: "a"), from: peer, now: .zero)
        #expect(dm.observations(of: "dev").map(\.1) == [path])
        func notify(_ seq: UInt32, _ body: String, at t: Int64) -> [DeviceManagement.Event] {
            var n = Message(type: .nonConfirmable, code: .content, messageID: UInt16(seq), token: req.token)
            n.observe = seq
            n.contentFormat = 42
            n.payload = Array(body.utf8)
            return events(dm.receive(response: n, from: peer, now: Instant(milliseconds: t)))
        }
        #expect(notify(6, "b", at: 1_000).count == 1)
        #expect(notify(5, "stale", at: 2_000).isEmpty)
        guard case .notification(let nid, "dev", path, let r) = notify(7, "c", at: 3_000).first else {
            Issue.record("no notification"); return
        }
        #expect(nid == id && r.content?.bytes == Array("c".utf8) && r.observe == 7)
        // After more than 128 s an older number is taken as fresh again.
        #expect(notify(2, "late", at: 200_000).count == 1)
    }

    @Test func cancelReusesTheObservationTokenAndForgettingAnswersWithReset() {
        var dm = DeviceManagement()
        let path = LwM2MPath(3, 0, 13)
        let (_, out) = dm.perform(.observe(path), on: registration(), now: .zero)
        let req = sent(out)[0]
        _ = dm.receive(response: answer(req, .content, observe: 1), from: peer, now: .zero)
        let (_, cancelOut) = dm.perform(.cancelObservation(path), on: registration(), now: .zero)
        #expect(sent(cancelOut)[0].token == req.token && sent(cancelOut)[0].observe == 1)
        #expect(dm.observations(of: "dev").isEmpty)

        let (id2, out2) = dm.perform(.observe(path), on: registration(), now: .zero)
        let req2 = sent(out2)[0]
        _ = dm.receive(response: answer(req2, .content, observe: 1), from: peer, now: .zero)
        #expect(events(dm.forgetObservation(id2)) == [.observationEnded(id2, endpoint: "dev", path, reason: "forgotten")])
        var n = Message(type: .confirmable, code: .content, messageID: 99, token: req2.token)
        n.observe = 2
        let reply = sent(dm.receive(response: n, from: peer, now: .zero))
        #expect(reply == [Message(type: .reset, code: .empty, messageID: 99)])
    }

    @Test func anErrorNotificationEndsTheObservation() {
        var dm = DeviceManagement()
        let (id, out) = dm.perform(.observe(LwM2MPath(19, 0)), on: registration(), now: .zero)
        _ = dm.receive(response: answer(sent(out)[0], .content, observe: 1), from: peer, now: .zero)
        var n = Message(type: .nonConfirmable, code: .notFound, token: sent(out)[0].token)
        n.observe = 2
        #expect(events(dm.receive(response: n, from: peer, now: .zero))
                == [.observationEnded(id, endpoint: "dev", LwM2MPath(19, 0), reason: "client answered 4.04")])
    }

    @Test func queueModeHoldsRequestsUntilTheClientIsHeard() {
        var dm = DeviceManagement(queueModeAwakeMilliseconds: 10_000)
        let reg = registration(binding: "UQ")
        // Within the awake window after registering: sent at once.
        #expect(sent(dm.perform(.read(LwM2MPath(3, 0, 0)), on: reg, now: Instant(milliseconds: 9_999)).1).count == 1)
        // After it: queued.
        let (id, out) = dm.perform(.read(LwM2MPath(3, 0, 1)), on: reg, now: Instant(milliseconds: 10_000))
        #expect(events(out) == [.queued(id, endpoint: "dev", .read(LwM2MPath(3, 0, 1)))])
        #expect(dm.queuedOperations(of: "dev") == [.read(LwM2MPath(3, 0, 1))])
        let flushed = sent(dm.clientHeard(reg, now: Instant(milliseconds: 60_000)))
        #expect(flushed.map(\.path) == ["/3/0/1"])
        #expect(dm.queuedOperations(of: "dev").isEmpty)
        // A plain-UDP client is always reachable.
        #expect(sent(dm.perform(.read(LwM2MPath(3)), on: registration(), now: Instant(milliseconds: 999_999)).1).count == 1)
    }

    @Test func aClientGoingAwayFailsEverythingOutstanding() {
        var dm = DeviceManagement(queueModeAwakeMilliseconds: 0)
        let (a, _) = dm.perform(.read(LwM2MPath(3)), on: registration(), now: .zero)
        let (b, _) = dm.perform(.read(LwM2MPath(4)), on: registration(binding: "UQ"), now: .zero)
        let (c, obs) = dm.perform(.observe(LwM2MPath(5)), on: registration(), now: .zero)
        _ = dm.receive(response: answer(sent(obs)[0], .content, observe: 1), from: peer, now: .zero)
        let e = events(dm.clientGone(endpoint: "dev", reason: "deregistered"))
        #expect(e == [.failed(a, endpoint: "dev", .read(LwM2MPath(3)), .notSent),
                      .failed(b, endpoint: "dev", .read(LwM2MPath(4)), .notSent),
                      .observationEnded(c, endpoint: "dev", LwM2MPath(5), reason: "deregistered")])
    }
}
