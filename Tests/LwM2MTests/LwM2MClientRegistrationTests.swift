import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MClientRegistrationTests {
    @Test func registerCarriesEndpointLifetimeVersionBindingAndLinks() throws {
        var client = LwM2MClient(configuration: ClientConfiguration(endpoint: "dev1", server: testServer, lifetime: 300),
                                 objects: testObjects())
        let out = client.start(now: .zero)
        let r = try #require(out.requests.first)
        #expect(r.code == .post && r.type == .confirmable && r.uriPath == ["rd"])
        #expect(r.uriQuery == ["ep=dev1", "lt=300", "lwm2m=1.0", "b=U"])
        #expect(r.contentFormat == 40)
        #expect(String(decoding: r.payload, as: UTF8.self) == #"</>;rt="oma.lwm2m",</1/0>,</3/0>,</4/0>,</5/0>,</19/0>"#)
        #expect(client.status == .registering)
        let done = client.receive(ack(r, .created, location: ["rd", "5a"]), from: testServer, now: at(10))
        #expect(done.events == [.registered(location: ["rd", "5a"])])
        #expect(client.status == .registered && client.location == ["rd", "5a"])
    }

    @Test func updateFiresAtExactly250SecondsForLifetime300() throws {
        var client = registeredClient()
        #expect(client.nextDeadline == at(250_000))
        #expect(client.advance(to: at(249_999)).isEmpty)
        let out = client.advance(to: at(250_000))
        let u = try #require(out.requests.first)
        #expect(u.code == .post && u.uriPath == ["rd", "5"] && u.uriQuery.isEmpty && u.payload.isEmpty)
        #expect(client.nextDeadline == nil)
        let done = client.receive(ack(u, .changed), from: testServer, now: at(250_300))
        #expect(done.events == [.updated(token: u.token)])
        #expect(client.nextDeadline == at(500_300))
    }

    @Test func updateCarriesOnlyWhatChanged() throws {
        var client = registeredClient()
        // A server Write of the lifetime (/1/0/1) triggers an Update with lt only.
        let write = serverRequest(.put, "/1/0/1", format: 0, payload: Array("600".utf8))
        let out = client.receive(write, from: testServer, now: at(1_000))
        #expect(out.messages.first?.code == .changed)
        let u = try #require(out.requests.first)
        #expect(u.uriQuery == ["lt=600"] && u.payload.isEmpty)
        _ = client.receive(ack(u, .changed), from: testServer, now: at(1_000))
        #expect(client.nextDeadline == at(1_000 + 535_000))   // bc260 rule at 600 s: 250 + 300*0.95
        // Objects changed: links only.
        let u2 = try #require(client.objectsChanged(now: at(2_000)).requests.first)
        #expect(u2.uriQuery.isEmpty && u2.contentFormat == 40 && !u2.payload.isEmpty)
        _ = client.receive(ack(u2, .changed), from: testServer, now: at(2_000))
        let u3 = try #require(client.update(now: at(3_000)).requests.first)
        #expect(u3.uriQuery.isEmpty && u3.payload.isEmpty)
    }

    @Test func anUpdateAskedForDuringAnotherWaitsForIt() throws {
        var client = registeredClient()
        let u1 = try #require(client.update(now: at(1)).requests.first)
        #expect(client.objectsChanged(now: at(2)).isEmpty)
        let next = client.receive(ack(u1, .changed), from: testServer, now: at(3))
        #expect(next.events == [.updated(token: u1.token)])
        #expect(next.requests.first?.contentFormat == 40)
    }

    @Test func registrationFailuresCarryTheirCause() throws {
        for (failure, code) in [(FailureCause.timeout, nil), (.reset, nil), (.response(.forbidden), Code.forbidden)] {
            var client = LwM2MClient(configuration: ClientConfiguration(endpoint: "d", server: testServer), objects: testObjects())
            let r = try #require(client.start(now: .zero).requests.first)
            let out = code.map { client.receive(ack(r, $0), from: testServer, now: at(1)) }
                ?? client.exchangeFailed(token: r.token, failure, now: at(1))
            #expect(out.events == [.registrationFailed(failure)])
            #expect(client.status == .unregistered)
        }
        var client = LwM2MClient(configuration: ClientConfiguration(endpoint: "d", server: testServer), objects: testObjects())
        let r = try #require(client.start(now: .zero).requests.first)
        #expect(client.receive(ack(r, .created), from: testServer, now: at(1)).events
                == [.registrationFailed(.malformedResponse("no Location-Path"))])
    }

    @Test func anUpdateTimeoutKeepsTheRegistrationAndRetriesAfterAnInterval() throws {
        var client = registeredClient()
        let u = try #require(client.advance(to: at(250_000)).requests.first)
        #expect(client.exchangeFailed(token: u.token, .timeout, now: at(340_000)).events == [.updateFailed(.timeout, token: u.token)])
        #expect(client.status == .registered && client.nextDeadline == at(590_000))
    }

    @Test func anUpdateAnswered404LosesTheRegistration() throws {
        var client = registeredClient()
        let u = try #require(client.update(now: at(1)).requests.first)
        let out = client.receive(ack(u, .notFound), from: testServer, now: at(2))
        #expect(out.events == [.updateFailed(.response(.notFound), token: u.token), .registrationLost])
        #expect(client.status == .unregistered && client.location == nil && client.nextDeadline == nil)
        // It may register again.
        #expect(client.start(now: at(3)).requests.first?.uriPath == ["rd"])
    }

    @Test func deregisterDeletesTheLocation() throws {
        var client = registeredClient()
        let d = try #require(client.deregister(now: at(5)).requests.first)
        #expect(d.code == .delete && d.uriPath == ["rd", "5"])
        #expect(client.status == .deregistering && client.nextDeadline == nil)
        #expect(client.receive(ack(d, .deleted), from: testServer, now: at(6)).events == [.deregistered])
        #expect(client.status == .deregistered && client.location == nil)
    }

    @Test func aFailedDeregisterLeavesTheClientRegistered() throws {
        var client = registeredClient()
        let d = try #require(client.deregister(now: at(5)).requests.first)
        #expect(client.exchangeFailed(token: d.token, .reset, now: at(6)).events == [.deregistrationFailed(.reset)])
        #expect(client.status == .registered)
    }

    @Test func strayResponsesAreIgnored() {
        var client = registeredClient()
        #expect(client.receive(Message(type: .acknowledgement, code: .changed, token: Token([9, 9]) ?? .empty),
                               from: testServer, now: at(1)).isEmpty)
        #expect(client.exchangeFailed(token: Token([9, 9]) ?? .empty, .timeout, now: at(1)).isEmpty)
    }

    @Test func peerFromServerURI() {
        #expect(LwM2MClient.peer(fromServerURI: "coap://10.0.0.1:5684") == PeerAddress(host: "10.0.0.1", port: 5684))
        #expect(LwM2MClient.peer(fromServerURI: "coaps://host") == PeerAddress(host: "host", port: 5684))
        #expect(LwM2MClient.peer(fromServerURI: "COAP://[::1]:1/x") == PeerAddress(host: "::1", port: 1))
        #expect(LwM2MClient.peer(fromServerURI: "http://x") == nil)
        #expect(LwM2MClient.peer(fromServerURI: "coap://") == nil)
    }
}
