import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MClientQueueModeTests {
    @Test func theClientSleepsAfterItsAwakeWindowAndIgnoresRequestsThen() {
        var client = registeredClient(binding: "UQ", awake: 30_000)
        #expect(client.nextDeadline == at(30_000))
        #expect(client.advance(to: at(29_999)).isEmpty)
        #expect(client.advance(to: at(30_000)).events == [.sleeping])
        #expect(client.isAsleep)
        let read = serverRequest(.get, "/3/0/0")
        #expect(client.receive(read, from: testServer, now: at(31_000)).events == [.droppedWhileAsleep(read)])
    }

    @Test func notificationsDueWhileAsleepWaitForTheUpdateAndCarryTheLatestValue() throws {
        var client = registeredClient(binding: "UQ", awake: 30_000)
        _ = client.receive(serverRequest(.get, "/19/0/1", token: [4], observe: 0), from: testServer, now: .zero)
        _ = client.advance(to: at(30_000))
        let q1 = client.modifyObjects(now: at(40_000)) { try? $0.setValue(.integer(1), at: LwM2MPath(19, 0, 1)) }
        #expect(q1.messages.isEmpty && q1.events == [.notificationQueued(LwM2MPath(19, 0, 1))])
        let q2 = client.modifyObjects(now: at(50_000)) { try? $0.setValue(.integer(2), at: LwM2MPath(19, 0, 1)) }
        #expect(q2.isEmpty)
        // The update timer (250 s for lifetime 300) wakes the client.
        let wake = client.advance(to: at(250_000))
        #expect(wake.events == [.wakingUp])
        let update = try #require(wake.requests.first)
        #expect(update.uriPath == ["rd", "5"] && !client.isAsleep)
        let after = client.receive(ack(update, .changed), from: testServer, now: at(250_500))
        let n = try #require(after.messages.first)
        #expect(n.token == Token([4]) && n.payload == Array("2".utf8) && n.observe == 1)
        #expect(after.events == [.updated(token: update.token), .notificationSent(LwM2MPath(19, 0, 1), sequence: 1, confirmable: false)])
        #expect(client.nextDeadline == at(280_500))   // the next awake window
    }

    @Test func wakeForNotificationsSendsAnUpdateAtOnce() throws {
        var client = registeredClient(binding: "UQ", awake: 30_000) { $0.wakeForNotifications = true }
        _ = client.receive(serverRequest(.get, "/19/0/1", token: [4], observe: 0), from: testServer, now: .zero)
        _ = client.advance(to: at(30_000))
        let out = client.modifyObjects(now: at(40_000)) { try? $0.setValue(.integer(1), at: LwM2MPath(19, 0, 1)) }
        #expect(out.events == [.notificationQueued(LwM2MPath(19, 0, 1)), .wakingUp])
        let update = try #require(out.requests.first)
        #expect(client.receive(ack(update, .changed), from: testServer, now: at(40_100)).messages.first?.token == Token([4]))
    }

    @Test func aSendWhileAsleepWakesWithAnUpdateFirst() throws {
        var client = registeredClient(binding: "UQ", awake: 30_000)
        _ = client.advance(to: at(30_000))
        let (token, out) = client.send(content: EncodedContent(format: .opaque, bytes: [1, 2, 3]), now: at(40_000))
        let update = try #require(out.requests.first)
        #expect(update.uriPath == ["rd", "5"] && out.requests.count == 1)
        let after = client.receive(ack(update, .changed), from: testServer, now: at(40_100))
        let send = try #require(after.requests.first)
        #expect(send.uriPath == ["dp"] && send.token == token && send.payload == [1, 2, 3] && send.contentFormat == 42)
        #expect(client.receive(ack(send, .changed), from: testServer, now: at(40_200)).events
                == [.sendCompleted(token: send.token)])
    }
}

@Suite struct LwM2MClientSendTests {
    @Test func sendPostsToDpAndReportsTheOutcome() throws {
        var client = registeredClient()
        let (token, out) = client.send(LwM2MPath(3, 0, 0), format: .textPlain, now: at(1))
        let m = try #require(out.requests.first)
        #expect(m.code == .post && m.uriPath == ["dp"] && m.type == .confirmable && m.token == token)
        #expect(m.contentFormat == 0 && m.payload == Array("Quectel".utf8))
        #expect(client.receive(ack(m, .badRequest), from: testServer, now: at(2)).events
                == [.sendFailed(token: m.token, .response(.badRequest))])
        let (_, again) = client.send(content: EncodedContent(format: .lwm2mJSON, bytes: Array("{}".utf8)),
                                     query: ["ep=dev"], now: at(3))
        let m2 = try #require(again.requests.first)
        #expect(m2.uriQuery == ["ep=dev"] && m2.contentFormat == 11543)
        #expect(client.exchangeFailed(token: m2.token, .timeout, now: at(4)).events == [.sendFailed(token: m2.token, .timeout)])
    }

    @Test func sendNeedsARegistration() {
        var client = LwM2MClient(configuration: ClientConfiguration(endpoint: "d", server: testServer), objects: testObjects())
        let (token, out) = client.send(content: EncodedContent(format: .opaque, bytes: [1]), now: .zero)
        #expect(token == nil && out.isEmpty)
    }
}
