import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MClientServingTests {
    func serve(_ client: inout LwM2MClient, _ request: Message, at t: Int64 = 1_000) -> [LwM2MClient.Action] {
        client.receive(request, from: testServer, now: at(t))
    }

    @Test func readAnswersInTheDefaultOrAskedFormat() throws {
        var client = registeredClient()
        let out = serve(&client, serverRequest(.get, "/3/0/0", mid: 7, token: [1, 2]))
        let r = try #require(out.messages.first)
        #expect(r.type == .acknowledgement && r.messageID == 7 && r.token == Token([1, 2]))
        #expect(r.code == .content && r.contentFormat == 0 && String(decoding: r.payload, as: UTF8.self) == "Quectel")
        #expect(out.events == [.served(ServedRequest(kind: .read, path: "/3/0/0", code: .content, messageID: 7))])
        let tlv = try #require(serve(&client, serverRequest(.get, "/3/0", accept: 11542)).messages.first)
        #expect(tlv.code == .content && tlv.contentFormat == 11542 && !tlv.payload.isEmpty)
    }

    @Test(arguments: [
        ("/0/0", Code.unauthorized), ("/9", .notFound), ("/3/7", .notFound), ("/3/0/4", .methodNotAllowed),
        ("/x", .notFound), ("/1/2/3/4/5", .notFound),
    ])
    func readErrorsMapToTheirCodes(path: String, code: Code) throws {
        var client = registeredClient()
        let r = try #require(serve(&client, serverRequest(.get, path)).messages.first)
        #expect(r.code == code)
    }

    @Test func writeReplaceAndPartialUpdate() throws {
        var client = registeredClient()
        let put = serve(&client, serverRequest(.put, "/19/0/1", format: 0, payload: Array("42".utf8)))
        #expect(put.messages.first?.code == .changed)
        #expect(client.objects.value(at: LwM2MPath(19, 0, 1)) == .integer(42))
        let readOnly = serve(&client, serverRequest(.put, "/3/0/0", format: 0, payload: Array("x".utf8)))
        #expect(readOnly.messages.first?.code == .methodNotAllowed)
        let garbage = serve(&client, serverRequest(.put, "/19/0/1", format: 11542, payload: [0xFF]))
        #expect(garbage.messages.first?.code == .badRequest)
        let unsupported = serve(&client, serverRequest(.put, "/19/0/1", format: 9999, payload: [1]))
        #expect(unsupported.messages.first?.code == .unsupportedContentFormat)
        // POST on an instance: partial update keeps the other resources.
        let tlv = TLV.encode(LwM2MNode.instance(ObjectInstance(id: 0, resources: [.single(3, .string("d"))])))
        let post = serve(&client, serverRequest(.post, "/19/0", format: 11542, payload: tlv))
        #expect(post.messages.first?.code == .changed)
        #expect(client.objects.value(at: LwM2MPath(19, 0, 3)) == .string("d"))
        #expect(client.objects.value(at: LwM2MPath(19, 0, 1)) == .integer(42))
    }

    @Test func discoverAnswersLinkFormat() throws {
        var client = registeredClient()
        let r = try #require(serve(&client, serverRequest(.get, "/3/0", accept: 40)).messages.first)
        #expect(r.code == .content && r.contentFormat == 40)
        #expect(String(decoding: r.payload, as: UTF8.self).hasPrefix("</3/0>"))
    }

    @Test func writeAttributesThenDiscoverShowsThem() throws {
        var client = registeredClient()
        let w = serve(&client, serverRequest(.put, "/19/0/1", query: ["pmin=10", "pmax=60"]))
        #expect(w.messages.first?.code == .changed)
        #expect(w.events.first == .served(ServedRequest(kind: .writeAttributes, path: "/19/0/1", code: .changed, messageID: 100)))
        #expect(client.objects.effectiveAttributes(LwM2MPath(19, 0, 1)) == NotificationAttributes(pmin: 10, pmax: 60))
        let bad = serve(&client, serverRequest(.put, "/19/0/1", query: ["pmin=abc"]))
        #expect(bad.messages.first?.code == .badRequest)
    }

    @Test func executeIsAnsweredAndHandedToTheOwner() throws {
        var client = registeredClient()
        let out = serve(&client, serverRequest(.post, "/3/0/4", format: 0, payload: Array("now".utf8)))
        #expect(out.messages.first?.code == .changed)
        #expect(out.events.contains(.executeRequested(LwM2MPath(3, 0, 4), arguments: Array("now".utf8))))
        #expect(serve(&client, serverRequest(.post, "/3/0/0")).messages.first?.code == .methodNotAllowed)
    }

    @Test func executingTheRegistrationUpdateTriggerSendsAnUpdate() throws {
        var client = registeredClient()
        let out = serve(&client, serverRequest(.post, "/1/0/8"))
        #expect(out.messages.first?.code == .changed)
        let update = try #require(out.requests.first)
        #expect(update.code == .post && update.uriPath == ["rd", "5"] && update.uriQuery.isEmpty && update.payload.isEmpty)
        #expect(client.receive(ack(update, .changed), from: testServer, now: at(2)).events == [.updated(token: update.token)])
    }

    @Test func createAndDeleteAnswerAndSendAnUpdateWithLinks() throws {
        var client = registeredClient()
        // An object-instance TLV names the new instance's id.
        let tlv = TLV.encode(LwM2MNode.object(id: 19, instances: [ObjectInstance(id: 3, resources: [.multiple(0, [0: .opaque([7])])])]))
        let out = serve(&client, serverRequest(.post, "/19", format: 11542, payload: tlv))
        let created = try #require(out.messages.first)
        #expect(created.code == .created && created.locationPath == ["19", "3"])
        let update = try #require(out.requests.first)
        #expect(update.uriPath == ["rd", "5"] && String(decoding: update.payload, as: UTF8.self).contains("</19/3>"))
        _ = client.receive(ack(update, .changed), from: testServer, now: at(1_100))
        let del = serve(&client, serverRequest(.delete, "/19/3"), at: 2_000)
        #expect(del.messages.first?.code == .deleted)
        let update2 = try #require(del.requests.first)
        #expect(!String(decoding: update2.payload, as: UTF8.self).contains("</19/3>"))
        _ = client.receive(ack(update2, .changed), from: testServer, now: at(2_100))
        #expect(serve(&client, serverRequest(.delete, "/3/0"), at: 3_000).messages.first?.code == .methodNotAllowed)
        #expect(serve(&client, serverRequest(.delete, "/19/3"), at: 3_000).messages.first?.code == .notFound)
    }

    @Test func strangersAreUnauthorized() throws {
        var client = registeredClient()
        let r = client.receive(serverRequest(.get, "/3/0/0"), from: PeerAddress(host: "203.0.113.7", port: 5683), now: .zero)
        #expect(r.messages.first?.code == .unauthorized)
    }

    @Test func strangersAreServedWhenTheConfigurationSaysAnyPeer() throws {
        var client = registeredClient { $0.servesAnyPeer = true }
        let stranger = PeerAddress(host: "203.0.113.7", port: 5683)
        let r = client.receive(serverRequest(.get, "/3/0/0"), from: stranger, now: .zero)
        #expect(r.messages.first?.code == .content)
        #expect(r.messages.first?.payload == Array("Quectel".utf8))
        if case .send(_, let to) = r.first { #expect(to == stranger) } else { Issue.record("no answer sent") }
    }

    @Test func unknownMethodsAreRefused() throws {
        var client = registeredClient()
        #expect(serve(&client, serverRequest(.fetch, "/3/0")).messages.first?.code == .methodNotAllowed)
    }
}
