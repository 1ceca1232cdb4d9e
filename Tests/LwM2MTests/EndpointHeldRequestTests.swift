import CoAP
import Testing
@testable import LwM2M

/// A held request over real CoAP datagrams: the node keeps it open at the endpoint until the
/// owner answers, piggybacked when quick, after an empty ACK when slow.
@Suite struct EndpointHeldRequestTests {
    func world(separateAfter: Int64?) -> EndpointWorld {
        var world = EndpointWorld.make(client: LwM2MClient(
            configuration: ClientConfiguration(endpoint: "dev", server: testServer, ownerAnsweredObjects: [19],
                                               automaticUpdates: false),
            objects: testObjects()))
        world.client.separateResponseAfter = separateAfter
        world.client.recordsTransport = true
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.settle()
        return world
    }

    func heldID(_ world: EndpointWorld) -> UInt16? {
        for (_, e) in world.clientEvents.reversed() { if case .heldForOwner(let h) = e { return h.messageID } }
        return nil
    }

    @Test func aQuickAnswerIsPiggybacked() throws {
        var world = world(separateAfter: 1_500)
        #expect(world.client.machine.status == .registered)
        let (id, out) = world.server.command(now: world.now) { $0.perform(.read(LwM2MPath(19, 0, 0)), on: "dev", now: world.now) }
        world.post(out, from: testServer)
        world.settle()
        let mid = try #require(heldID(world))
        // The URC's message id is the one on the wire.
        let sent = try Message(decoding: try #require(out.first).bytes)
        #expect(sent.messageID == mid)
        world.run(until: at(1_000))
        world.post(world.client.command(now: world.now) {
            $0.answer(heldRequest: mid, code: .content, content: EncodedContent(format: .opaque, bytes: [5]), now: world.now)
        }, from: EndpointWorld.clientAddress)
        world.settle()
        let operation = try #require(id)
        #expect(world.serverEvents.contains { if case .operation(.completed(operation, _, _, let r)) = $0.1 {
            r.code == .content && r.content == EncodedContent(format: .opaque, bytes: [5]) } else { false } })
        let transport = world.client.takeTransportEvents()
        #expect(transport.contains { if case .responseSent(_, _, .piggybacked) = $0 { true } else { false } })
        #expect(!transport.contains { if case .responseDeferred = $0 { true } else { false } })
    }

    @Test func aSlowAnswerGoesSeparatelyAfterAnEmptyACK() throws {
        var world = world(separateAfter: 1_500)
        let (id, out) = world.server.command(now: world.now) { $0.perform(.read(LwM2MPath(19, 0, 0)), on: "dev", now: world.now) }
        world.post(out, from: testServer)
        world.settle()
        let mid = try #require(heldID(world))
        world.run(until: at(20_000))
        let transport = world.client.takeTransportEvents()
        #expect(transport.contains { if case .responseDeferred(let r) = $0 { r.message.messageID == mid } else { false } })
        world.post(world.client.command(now: world.now) {
            $0.answer(heldRequest: mid, code: .notFound, content: nil, now: world.now)
        }, from: EndpointWorld.clientAddress)
        world.settle()
        let operation = try #require(id)
        #expect(world.serverEvents.contains { if case .operation(.failed(operation, _, _, .response(.notFound))) = $0.1 {
            true } else { false } })
        #expect(world.client.takeTransportEvents().contains { if case .responseSent(_, _, .separate) = $0 { true } else { false } })
        // The server saw no retransmission of its request: one datagram each way, plus the separate response's ACK.
        #expect(world.server.endpoint.openRequestCount == 0)
    }

    @Test func requestIDsAndResetsAreReported() throws {
        var world = world(separateAfter: nil)
        let transport = world.client.takeTransportEvents()
        let register = try #require(transport.compactMap { if case .requestSent(let m, let h) = $0 { (m, h) } else { nil } }.first)
        #expect(register.0.uriPath == ["rd"] && register.1.peer == testServer)
        // A datagram from the server resetting an Update.
        let update = world.client.command(now: world.now) { $0.update(now: world.now) }
        let sent = try Message(decoding: try #require(update.first).bytes)
        let rst = Message(type: .reset, code: .empty, messageID: sent.messageID)
        _ = world.client.receive(Datagram(rst.encoded(), peer: testServer), now: world.now)
        world.collect()
        #expect(world.client.takeTransportEvents().contains(.reset(peer: testServer, token: sent.token, messageID: sent.messageID)))
        #expect(world.clientEvents.map(\.1).contains(.updateFailed(.reset, token: sent.token)))
    }
}
