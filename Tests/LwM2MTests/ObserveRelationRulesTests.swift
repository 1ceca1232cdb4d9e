import CoAP
import Testing
@testable import LwM2M

/// The client's Observe relations follow RFC 7641 §4: keyed by (peer, token), replaced by a new
/// registration under the same key, ended by GET Observe=1, by RST, by a CON notification never
/// acknowledged, and a NON relation sends a CON at least once a day. All in virtual time.
@Suite("LwM2M client: observe relations (RFC 7641)")
struct ObserveRelationRulesTests {
    static let path = LwM2MPath(19, 0, 1)
    static let other = PeerAddress(host: "192.0.2.7", port: 5683)
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    func sends(_ actions: [LwM2MClient.Action]) -> [(Message, PeerAddress)] {
        actions.compactMap { if case .send(let m, let p) = $0 { (m, p) } else { nil } }
    }

    func observe(_ client: inout LwM2MClient, _ path: String = "/19/0/1", token: [UInt8] = [5], from peer: PeerAddress = testServer,
                 cancel: Bool = false, at t: Int64 = 0) -> [LwM2MClient.Action] {
        client.receive(serverRequest(.get, path, token: token, observe: cancel ? 1 : 0), from: peer, now: at(t))
    }

    func set(_ client: inout LwM2MClient, _ v: Int64, at t: Int64) -> [LwM2MClient.Action] {
        client.modifyObjects(now: at(t)) { try? $0.setValue(.integer(v), at: Self.path) }
    }

    @Test func twoPeersUnderTheSameTokenAreTwoRelations() throws {
        var client = registeredClient(configure: { $0.servesAnyPeer = true })
        #expect(observe(&client, from: testServer).messages.first?.observe == 0)
        #expect(observe(&client, from: Self.other).messages.first?.observe == 0)
        #expect(client.observeRelations.map(\.peer) == [testServer, Self.other])

        let both = sends(set(&client, 1, at: 1_000))
        #expect(both.map(\.1) == [testServer, Self.other])
        #expect(both.allSatisfy { $0.0.token == Token([5]) && $0.0.observe == 1 })

        // The other peer cancels: the server's relation under the same token carries on.
        let cancel = observe(&client, from: Self.other, cancel: true, at: 2_000)
        #expect(cancel.events.contains(.observationCancelled(Self.path, reason: "cancelled by server")))
        #expect(client.observeRelations.map(\.peer) == [testServer])
        let one = sends(set(&client, 2, at: 3_000))
        #expect(one.map(\.1) == [testServer] && one.first?.0.observe == 2)
    }

    @Test func anRSTEndsOnlyTheRelationThatSentTheMessage() throws {
        var client = registeredClient(configure: { $0.servesAnyPeer = true })
        _ = observe(&client, from: testServer)
        _ = observe(&client, from: Self.other)
        _ = set(&client, 1, at: 1_000)
        let mine = ObserveRelation.Key(peer: testServer, token: Token([5]) ?? .empty)
        let theirs = ObserveRelation.Key(peer: Self.other, token: Token([5]) ?? .empty)
        client.notificationSent(mine, messageID: 0x700, now: at(1_000))
        client.notificationSent(theirs, messageID: 0x701, now: at(1_000))
        // The other peer cannot reset a message it was never sent.
        #expect(client.notificationFailed(theirs, messageID: 0x700, .reset, now: at(1_100)).isEmpty)
        #expect(client.observeRelations.count == 2)
        #expect(client.notificationFailed(mine, messageID: 0x700, .reset, now: at(1_100)).events
                == [.observationCancelled(Self.path, reason: "notification reset by peer")])
        #expect(client.observeRelations.map(\.peer) == [Self.other])
    }

    @Test func aReRegistrationReplacesAndALateFailureOfTheOldOneEndsNothing() throws {
        var client = registeredClient()
        _ = observe(&client)
        _ = set(&client, 1, at: 1_000)
        let key = ObserveRelation.Key(peer: testServer, token: Token([5]) ?? .empty)
        client.notificationSent(key, messageID: 0x10, now: at(1_000))
        // Same peer, same token, another path: the new relation replaces the old one.
        let again = observe(&client, "/3/0/0", at: 2_000)
        #expect(again.messages.first?.observe == 2)
        #expect(again.events.contains(.observationStarted(LwM2MPath(3, 0, 0), token: key.token)))
        #expect(client.observedPaths == [LwM2MPath(3, 0, 0)])
        // The old notification's RST or timeout comes in late: it names none of the new one's messages.
        #expect(client.notificationFailed(key, messageID: 0x10, .reset, now: at(2_100)).isEmpty)
        #expect(client.notificationFailed(key, messageID: 0x10, .timeout, now: at(2_200)).isEmpty)
        #expect(client.observedPaths == [LwM2MPath(3, 0, 0)])
    }

    @Test func aReRegistrationAnsweredWithAnErrorEndsTheRelation() throws {
        var client = registeredClient()
        _ = observe(&client)
        let refused = observe(&client, "/19/9/1", at: 1_000)
        #expect(refused.messages.first?.code == .notFound && refused.messages.first?.observe == nil)
        #expect(refused.events.contains(.observationCancelled(Self.path, reason: "re-registration refused")))
        #expect(client.observedPaths.isEmpty)
        #expect(set(&client, 4, at: 2_000).isEmpty)
    }

    /// Runs a client observed with pmax 1 h (no changes) to `end`, answering its Updates;
    /// returns each notification's time and type.
    func hourly(_ configure: (inout ClientConfiguration) -> Void = { _ in }, until end: Int64)
        -> (LwM2MClient, [(Int64, MessageType)]) {
        var client = registeredClient(configure: configure)
        _ = client.receive(serverRequest(.put, "/19/0/1", query: ["pmax=3600"]), from: testServer, now: .zero)
        _ = observe(&client)
        var sent: [(Int64, MessageType)] = []
        while let t = client.nextDeadline?.milliseconds, t <= end {
            var out = client.advance(to: at(t))
            for r in out.requests { out += client.receive(ack(r, .changed), from: testServer, now: at(t)) }
            for m in out.messages where m.observe != nil { sent.append((t, m.type)) }
        }
        return (client, sent)
    }

    @Test func aNONRelationSendsACONOnceADay() {
        let (_, sent) = hourly(until: 50 * Self.hour)
        #expect(sent.map(\.0) == (1...50).map { Int64($0) * Self.hour })
        // 23 h after the registration: still NON; at exactly 24 h: CON; then a day after that CON.
        #expect(sent.filter { $0.1 == .confirmable }.map(\.0) == [Self.day, 2 * Self.day])
        #expect(sent.first { $0.0 == 23 * Self.hour }?.1 == .nonConfirmable)
        #expect(sent.first { $0.0 == 25 * Self.hour }?.1 == .nonConfirmable)
    }

    @Test func theDailyCONCanBeSwitchedOff() {
        let (_, sent) = hourly({ $0.observe.confirmableInterval = nil }, until: 50 * Self.hour)
        #expect(sent.count == 50 && sent.allSatisfy { $0.1 == .nonConfirmable })
    }

    @Test func aCONNotificationThatTimesOutEndsTheRelation() throws {
        var (client, sent) = hourly(until: Self.day)
        #expect(sent.last?.0 == Self.day && sent.last?.1 == .confirmable)
        let key = ObserveRelation.Key(peer: testServer, token: Token([5]) ?? .empty)
        client.notificationSent(key, messageID: 0x2424, now: at(Self.day))
        // The CON's last retransmission went unanswered (the module's schedule: 126 s).
        #expect(client.notificationFailed(key, messageID: 0x2424, .timeout, now: at(Self.day + 126_000)).events
                == [.observationCancelled(Self.path, reason: "notification timeout")])
        #expect(client.observedPaths.isEmpty && client.observeRelations.isEmpty)
        #expect(set(&client, 9, at: Self.day + 127_000).messages.isEmpty)
        // Nothing is scheduled for the relation any more: only the next Update.
        #expect(client.advance(to: at(Self.day + Self.hour)).messages.filter { !$0.code.isRequest }.isEmpty)
    }

    @Test func anOwnerNotifyAskedNONGoesCONWhenTheDayIsUp() throws {
        var client = registeredClient(configure: { $0.ownerAnsweredObjects = [19] })
        let request = serverRequest(.get, "/19/0/0", mid: 41, token: [6], observe: 0)
        #expect(client.receive(request, from: testServer, now: .zero).messages.isEmpty)
        let content = EncodedContent(format: .opaque, bytes: [1])
        let answered = client.answer(heldRequest: 41, code: .content, content: content, now: .zero)
        #expect(answered.messages.first?.observe == 0)
        let owned = LwM2MPath(19, 0, 0)
        let types = [Self.hour, Self.day - 1, Self.day, Self.day + 1].map { t in
            client.notify(owned, content: content, confirmable: false, now: at(t)).1.messages.first?.type
        }
        #expect(types == [.nonConfirmable, .nonConfirmable, .confirmable, .nonConfirmable])
        let (_, out) = client.notify(owned, content: content, confirmable: false, now: at(Self.day + 2))
        #expect(out.events == [.notificationSent(owned, sequence: 5, confirmable: false)])
    }
}

/// The same rules through the CoAP endpoint: the message id the endpoint picks reaches the
/// client, and a CON that nobody acknowledges ends the relation after its retransmissions.
@Suite("LwM2M client node: the daily CON over the endpoint")
struct ObserveRelationOverEndpointTests {
    @Test func anUnacknowledgedDailyCONEndsTheRelation() throws {
        let path = LwM2MPath(19, 0, 1)
        let day = ObserveRelationRulesTests.day
        var world = EndpointWorld.make(client: LwM2MClient(
            configuration: ClientConfiguration(endpoint: "dev", server: testServer), objects: testObjects()))
        // Notifications as they leave the client (retransmissions too); the server's empty ACKs
        // are lost once it has gone deaf.
        var notifications: [(type: MessageType, messageID: UInt16)] = []
        var deaf = false
        world.lose = { d, from in
            guard let m = try? Message(decoding: d.bytes) else { return false }
            if from == EndpointWorld.clientAddress, m.observe != nil, m.type != .acknowledgement {
                notifications.append((m.type, m.messageID))
            }
            return from == testServer && deaf && m.type == .acknowledgement && m.code == .empty
        }
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.settle()
        for op in [DeviceOperation.writeAttributes(path, query: ["pmax=3600"]), .observe(path)] {
            let (_, out) = world.server.command(now: world.now) { $0.perform(op, on: "dev", now: world.now) }
            world.post(out, from: testServer)
            world.settle()
        }
        world.run(until: Instant(milliseconds: day - 1))
        #expect(notifications.count == 23 && notifications.allSatisfy { $0.type == .nonConfirmable })

        deaf = true
        world.run(until: Instant(milliseconds: day + 600_000))
        let con = notifications.dropFirst(23)
        #expect(con.count > 1 && con.allSatisfy { $0.type == .confirmable && $0.messageID == con.first?.messageID },
                "one CON, retransmitted: \(con)")
        let ended = try #require(world.clientEvents.first { $0.1 == .observationCancelled(path, reason: "notification timeout") })
        #expect(ended.0 > Instant(milliseconds: day))
        #expect(world.client.machine.observeRelations.isEmpty)
        // No more hourly notifications.
        world.run(until: Instant(milliseconds: day + 3 * 3_600_000))
        #expect(notifications.count == 23 + con.count)
    }
}
