import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MClientBootstrapTests {
    func bootstrapClient() -> LwM2MClient {
        LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", bootstrapServer: testBootstrapServer, lifetime: 300),
                    objects: testObjects(bootstrap: true))
    }

    func fromBootstrap(_ client: inout LwM2MClient, _ m: Message, at t: Int64 = 100) -> [LwM2MClient.Action] {
        client.receive(m, from: testBootstrapServer, now: at(t))
    }

    @Test func bootstrapsThenRegistersWithTheServerItWasGiven() throws {
        var client = bootstrapClient()
        let start = client.start(now: .zero)
        let request = try #require(start.requests.first)
        #expect(request.code == .post && request.uriPath == ["bs"] && request.uriQuery == ["ep=dev"])
        #expect(start.events == [.bootstrapRequested(testBootstrapServer)])
        #expect(client.status == .bootstrapping)
        #expect(fromBootstrap(&client, ack(request, .changed)).isEmpty)

        // The bootstrap server's usual sequence, as BootstrapServer builds it.
        let steps = BootstrapStep.serverAccount(uri: "coap://192.0.2.1:5683", lifetime: 120, binding: "U")
        var mid: UInt16 = 1
        for step in steps {
            var m = step.request(token: Token([UInt8(mid)]) ?? .empty)
            m.messageID = mid
            mid += 1
            let out = fromBootstrap(&client, m)
            #expect(out.messages.first?.code.isSuccess == true, "\(step): \(out.messages.first?.code.description ?? "-")")
        }
        // The bootstrap account survived; the new one is there.
        #expect(client.objects.value(at: LwM2MPath(0, 0, 1)) == .boolean(true))
        #expect(client.objects.value(at: LwM2MPath(0, 1, 0)) == .string("coap://192.0.2.1:5683"))
        #expect(client.bootstrappedServer == testServer)

        var finish = Message.request(.post, token: Token([0xF]) ?? .empty, path: ["bs"])
        finish.messageID = 50
        let out = fromBootstrap(&client, finish)
        #expect(out.messages.first?.code == .changed && out.messages.first?.messageID == 50)
        #expect(out.events.contains(.bootstrapFinished(server: testServer)))
        let register = try #require(out.requests.first)
        #expect(register.uriPath == ["rd"] && register.uriQuery == ["ep=dev", "lt=120", "lwm2m=1.0", "b=U"])
        #expect(client.status == .registering && client.server == testServer)
    }

    @Test func aBootstrapServerReadIsRefusedButItsDiscoverIsServed() {
        var client = bootstrapClient()
        _ = client.start(now: .zero)
        let discover = fromBootstrap(&client, serverRequest(.get, "/0", accept: 40))
        #expect(discover.messages.first?.code == .content)
        #expect(fromBootstrap(&client, serverRequest(.get, "/0/0/0")).messages.first?.code == .methodNotAllowed)
        // Outside bootstrap the same peer gets no bootstrap rights: /0 stays hidden.
        var other = registeredClient()
        #expect(other.receive(serverRequest(.put, "/0/0/0", format: 0, payload: Array("x".utf8)),
                              from: testBootstrapServer, now: .zero).messages.first?.code == .unauthorized)
    }

    @Test func finishWithoutAServerAccountIsNotAcceptable() throws {
        var client = bootstrapClient()
        _ = client.start(now: .zero)
        let out = fromBootstrap(&client, serverRequest(.post, "/bs"))
        #expect(out.messages.first?.code == .notAcceptable)
        #expect(out.events.contains(.bootstrapFailed(.malformedResponse("no LwM2M server account after bootstrap"))))
        #expect(client.status == .unregistered)
    }

    @Test func aMissingFinishTimesOut() {
        var client = bootstrapClient()
        _ = client.start(now: .zero)
        #expect(client.nextDeadline == at(60_000))
        #expect(client.advance(to: at(59_999)).isEmpty)
        #expect(client.advance(to: at(60_000)).events == [.bootstrapFailed(.timeout)])
        #expect(client.status == .unregistered && client.nextDeadline == nil)
    }

    @Test func aRefusedBootstrapRequestFails() throws {
        var client = bootstrapClient()
        let request = try #require(client.start(now: .zero).requests.first)
        #expect(fromBootstrap(&client, ack(request, .badRequest)).events == [.bootstrapFailed(.response(.badRequest))])
        #expect(client.nextDeadline == nil)
    }
}
