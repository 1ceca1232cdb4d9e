import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MServerTests {
    let client = PeerAddress(host: "10.0.0.2", port: 5000)

    func register(_ server: inout LwM2MServer, binding: String = "U", at t: Int64 = 0) -> [LwM2MServer.Action] {
        var m = Message.request(.post, token: Token([1]) ?? .empty, path: ["rd"],
                                query: ["ep=dev", "lt=60", "b=\(binding)"], contentFormat: 40,
                                payload: Array("</3/0>".utf8))
        m.messageID = 1
        return server.receive(m, from: client, now: at(t))
    }

    func sent(_ a: [LwM2MServer.Action]) -> [Message] { a.compactMap { if case .send(let m, _) = $0 { m } else { nil } } }
    func events(_ a: [LwM2MServer.Action]) -> [LwM2MServer.Event] { a.compactMap { if case .event(let e) = $0 { e } else { nil } } }

    @Test func routesRegistrationAndOperations() throws {
        var server = LwM2MServer()
        let reg = register(&server)
        #expect(sent(reg).first?.code == .created)
        let (id, out) = server.perform(.read(LwM2MPath(3, 0, 0)), on: "dev", now: at(1))
        let request = try #require(sent(out).first)
        #expect(request.uriPath == ["3", "0", "0"])
        var answer = Message(type: .acknowledgement, code: .content, token: request.token)
        answer.payload = Array("Quectel".utf8)
        answer.contentFormat = 0
        guard case .operation(.completed(let done, "dev", _, let r))? = events(server.receive(answer, from: client, now: at(2))).first else {
            Issue.record("not completed"); return
        }
        #expect(done == id && r.content?.bytes == Array("Quectel".utf8))
        #expect(server.perform(.read(LwM2MPath(3)), on: "nobody", now: at(3)).0 == nil)
    }

    @Test func expiryEndsObservations() throws {
        var server = LwM2MServer()
        _ = register(&server)
        let (id, out) = server.perform(.observe(LwM2MPath(3, 0, 13)), on: "dev", now: at(1))
        var answer = Message(type: .acknowledgement, code: .content, token: try #require(sent(out).first).token)
        answer.observe = 0
        _ = server.receive(answer, from: client, now: at(2))
        #expect(server.nextDeadline == at(60_000))
        let e = events(server.advance(to: at(60_000)))
        #expect(e.count == 2)
        #expect(e.last == .operation(.observationEnded(try #require(id), endpoint: "dev", LwM2MPath(3, 0, 13), reason: "lifetime expired")))
    }

    @Test func queuedRequestsGoOutWhenTheClientUpdates() throws {
        var server = LwM2MServer(management: DeviceManagement(queueModeAwakeMilliseconds: 5_000))
        _ = register(&server, binding: "UQ")
        let (_, held) = server.perform(.read(LwM2MPath(3, 0, 0)), on: "dev", now: at(10_000))
        #expect(sent(held).isEmpty)
        var update = Message.request(.post, token: Token([2]) ?? .empty, path: ["rd", "1"])
        update.messageID = 2
        let out = sent(server.receive(update, from: client, now: at(20_000)))
        #expect(out.map(\.code) == [.changed, .get])
    }

    @Test func sendIsAcknowledgedAndDecoded() throws {
        var server = LwM2MServer()
        _ = register(&server)
        let payload = SenMLJSON.encode(values: [(LwM2MPath(3, 0, 9), .integer(80)), (LwM2MPath(19, 0, 1), .integer(3))])
        let send = Message.request(.post, token: Token([3]) ?? .empty, path: ["dp"], contentFormat: 110, payload: payload)
        let out = server.receive(send, from: client, now: at(1))
        #expect(sent(out).first?.code == .changed)
        #expect(events(out) == [.sendReceived(endpoint: "dev", EncodedContent(format: .senmlJSON, bytes: payload),
                                              values: [ReportedValue(path: LwM2MPath(3, 0, 9), value: .integer(80)),
                                                       ReportedValue(path: LwM2MPath(19, 0, 1), value: .integer(3))],
                                              decodeError: nil)])
        // Undecodable bytes are still the client's data.
        let junk = Message.request(.post, token: Token([4]) ?? .empty, path: ["dp"], contentFormat: 110, payload: [0x7B])
        guard case .sendReceived(_, _, nil, let problem?)? = events(server.receive(junk, from: client, now: at(2))).first else {
            Issue.record("no raw send"); return
        }
        #expect(!problem.isEmpty)
        // Strangers may not Send unless allowed (the Andlink flow).
        let stranger = PeerAddress(host: "10.9.9.9", port: 1)
        #expect(sent(server.receive(send, from: stranger, now: at(3))).first?.code == .forbidden)
        var open = LwM2MServer(acceptsSendFromUnregistered: true)
        var withEP = send
        withEP.uriQuery = ["ep=andlink"]
        guard case .sendReceived("andlink", _, _, _)? = events(open.receive(withEP, from: stranger, now: at(4))).first else {
            Issue.record("no send event"); return
        }
    }

    @Test func unknownPathsAre404() {
        var server = LwM2MServer()
        let m = Message.request(.get, token: .empty, path: ["nope"])
        #expect(sent(server.receive(m, from: client, now: .zero)).first?.code == .notFound)
        #expect(sent(server.receive(Message.request(.post, token: .empty, path: ["bs"], query: ["ep=x"]),
                                    from: client, now: .zero)).first?.code == .notFound)
    }
}
