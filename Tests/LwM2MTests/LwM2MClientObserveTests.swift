import CoAP
import Testing
@testable import LwM2M

@Suite struct LwM2MClientObserveTests {
    let path = LwM2MPath(19, 0, 1)

    /// A registered client with attributes written on /19/0/1 and an Observe on it at t=0.
    func observed(_ attributes: [String], binding: String = "U", awake: Int64 = 93_000,
                  configure: (inout ClientConfiguration) -> Void = { _ in }) -> (LwM2MClient, Token) {
        var client = registeredClient(binding: binding, awake: awake, configure: configure)
        if !attributes.isEmpty {
            _ = client.receive(serverRequest(.put, "/19/0/1", query: attributes), from: testServer, now: .zero)
        }
        _ = client.receive(serverRequest(.get, "/19/0/1", token: [0x0B, 0x5E], observe: 0),
                                 from: testServer, now: .zero)
        return (client, Token([0x0B, 0x5E]) ?? .empty)
    }

    func set(_ client: inout LwM2MClient, _ v: Int64, at t: Int64) -> [LwM2MClient.Action] {
        client.modifyObjects(now: at(t)) { try? $0.setValue(.integer(v), at: LwM2MPath(19, 0, 1)) }
    }

    /// Runs time forward to `end`, applying `changes`, and returns every notification sent.
    func run(_ client: inout LwM2MClient, changes: [(Int64, Int64)], until end: Int64) -> [(Int64, Message)] {
        var pending = changes
        var sent: [(Int64, Message)] = []
        while true {
            let wake = client.nextDeadline?.milliseconds
            let change = pending.first?.0
            guard let t = [wake, change].compactMap({ $0 }).min(), t <= end else { break }
            var out: [LwM2MClient.Action] = []
            if change == t { out += set(&client, pending.removeFirst().1, at: t) }
            out += client.advance(to: at(t))
            for m in out.messages where m.observe != nil { sent.append((t, m)) }
            // Answer Updates so the registration carries on.
            for r in out.requests { out += client.receive(ack(r, .changed), from: testServer, now: at(t)) }
        }
        return sent
    }

    @Test func observeAnswersWithTheValueAndSequenceZero() throws {
        var client = registeredClient()
        let out = client.receive(serverRequest(.get, "/19/0/1", mid: 3, token: [7], observe: 0), from: testServer, now: .zero)
        let r = try #require(out.messages.first)
        #expect(r.code == .content && r.observe == 0 && r.token == Token([7]) && r.payload == Array("0".utf8))
        #expect(out.events.contains(.observationStarted(path, token: Token([7]) ?? .empty)))
        #expect(client.observedPaths == [path])
        let missing = client.receive(serverRequest(.get, "/19/9/1", token: [8], observe: 0), from: testServer, now: .zero)
        #expect(missing.messages.first?.code == .notFound && client.observedPaths == [path])
    }

    @Test func everyChangeNotifiesWithoutAttributesWithTheObservationToken() throws {
        var (client, token) = observed([])
        let out = set(&client, 5, at: 1_000)
        let n = try #require(out.messages.first)
        #expect(n.type == .nonConfirmable && n.code == .content && n.token == token && n.observe == 1)
        #expect(n.payload == Array("5".utf8) && n.contentFormat == 0)
        #expect(out.events == [.notificationSent(path, sequence: 1, confirmable: false)])
        #expect(set(&client, 5, at: 2_000).isEmpty)   // same value: nothing
        #expect(set(&client, 6, at: 3_000).messages.first?.observe == 2)
    }

    @Test func tenNotificationsHonourPminAndPmax() {
        var (client, _) = observed(["pmin=10", "pmax=30"])
        // A change every 2 s for 40 s, then silence.
        let changes = (1...20).map { (Int64($0) * 2_000, Int64($0)) }
        let sent = run(&client, changes: changes, until: 150_000)
        #expect(sent.map(\.0) == [10_000, 20_000, 30_000, 40_000, 70_000, 100_000, 130_000])
        #expect(sent.map { $0.1.observe } == (1...7).map { UInt32($0) })
        #expect(String(decoding: sent[3].1.payload, as: UTF8.self) == "20")
        var previous: Int64 = 0
        for (t, _) in sent { #expect(t - previous >= 10_000 && t - previous <= 30_000); previous = t }
    }

    @Test func serverDefaultPeriodsApplyWhenNoAttributesAreWritten() {
        var client = registeredClient()
        _ = client.modifyObjects(now: .zero) { tree in
            try? tree.setValue(.integer(5), at: LwM2MPath(1, 0, 2))
            try? tree.setValue(.integer(20), at: LwM2MPath(1, 0, 3))
        }
        _ = client.receive(serverRequest(.get, "/19/0/1", token: [1], observe: 0), from: testServer, now: .zero)
        let sent = run(&client, changes: [(1_000, 1)], until: 45_000)
        #expect(sent.map(\.0) == [5_000, 25_000, 45_000])
    }

    @Test func stepAndThresholdsFilterNumericChanges() {
        var (client, _) = observed(["st=5", "gt=50"])
        let sent = run(&client, changes: [(1_000, 3), (2_000, 6), (3_000, 9), (4_000, 49), (5_000, 51), (6_000, 52)],
                       until: 10_000)
        // 6 (moved 6 from 0), 49 (moved 43), 51 (crossed 50); 9 moved 3 from 6, 52 moved 1.
        #expect(sent.map { String(decoding: $0.1.payload, as: UTF8.self) } == ["6", "49", "51"])
    }

    @Test func cancelWithObserveOneOrAnRSTEndsTheObservation() throws {
        var (client, token) = observed([])
        let cancel = client.receive(serverRequest(.get, "/19/0/1", token: token.bytes, observe: 1), from: testServer, now: at(1))
        #expect(cancel.messages.first?.code == .content && cancel.messages.first?.observe == nil)
        #expect(cancel.events.contains(.observationCancelled(path, reason: "cancelled by server")))
        #expect(set(&client, 9, at: 2).isEmpty)

        var (client2, token2) = observed([])
        _ = set(&client2, 1, at: 1)
        // The exchange beneath reports the message id the notification went out with.
        let key = ObserveRelation.Key(peer: testServer, token: token2)
        client2.notificationSent(key, messageID: 0x4411, now: at(1))
        #expect(client2.notificationFailed(key, messageID: 0x4411, .reset, now: at(2)).events
                == [.observationCancelled(path, reason: "notification reset by peer")])
        #expect(client2.observedPaths.isEmpty)
    }

    @Test func confirmableNotificationsReportTheirAcknowledgement() throws {
        var (client, token) = observed([], configure: { $0.confirmableNotifications = true })
        let n = try #require(set(&client, 3, at: 1_000).messages.first)
        #expect(n.type == .confirmable)
        let key = ObserveRelation.Key(peer: testServer, token: token)
        client.notificationSent(key, messageID: 0x4412, now: at(1_000))
        #expect(client.notificationAcknowledged(key, messageID: 0x4412, now: at(1_100)).events
                == [.notificationAcknowledged(path)])
    }

    @Test func deletingTheObservedInstanceEndsTheObservationWith404() throws {
        var (client, token) = observed([])
        let out = client.receive(serverRequest(.delete, "/19/0"), from: testServer, now: at(1_000))
        let notice = try #require(out.messages.first { $0.token == token })
        #expect(notice.code == .notFound)
        #expect(out.events.contains(.observationCancelled(path, reason: "target removed")))
    }

    @Test func notifyNowForcesANotificationOnlyOnObservedPaths() {
        var (client, _) = observed(["pmin=100"])
        #expect(client.notifyNow(path, now: at(1)).messages.count == 1)
        #expect(client.notifyNow(LwM2MPath(3, 0, 0), now: at(1)).isEmpty)
    }
}

@Suite struct LwM2MClientObserveRelationTests {
    @Test func reObservingUnderTheSameTokenCarriesTheSequenceOn() throws {
        var client = registeredClient()
        _ = client.receive(serverRequest(.get, "/19/0/1", token: [5], observe: 0), from: testServer, now: .zero)
        _ = client.modifyObjects(now: at(1)) { try? $0.setValue(.integer(1), at: LwM2MPath(19, 0, 1)) }
        let again = client.receive(serverRequest(.get, "/3/0/0", token: [5], observe: 0), from: testServer, now: at(2))
        #expect(again.messages.first?.observe == 2)
        #expect(client.observedPaths == [LwM2MPath(3, 0, 0)])
    }

    @Test func addingAnInstanceFromTheOwnerSendsAnUpdateWithLinks() throws {
        var client = registeredClient()
        let out = client.modifyObjects(now: at(1)) {
            try? $0.setInstance(ObjectInstance(id: 2, resources: [.multiple(0, [0: .opaque([])])]), of: 19)
        }
        let update = try #require(out.requests.first)
        #expect(String(decoding: update.payload, as: UTF8.self).contains("</19/2>"))
        // A value change alone sends none.
        _ = client.receive(ack(update, .changed), from: testServer, now: at(2))
        #expect(client.modifyObjects(now: at(3)) { try? $0.setValue(.integer(4), at: LwM2MPath(19, 0, 1)) }.requests.isEmpty)
    }
}
