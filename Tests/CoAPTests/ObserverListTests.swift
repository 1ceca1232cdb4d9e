import Testing
@testable import CoAP

private let alice = PeerAddress(host: "10.0.0.2", port: 56830)
private let bob = PeerAddress(host: "10.0.0.3", port: 56830)
private let tokenA = Token([0xA1])!
private let tokenB = Token([0xB2, 0x02])!

private func get(_ path: [String], token: Token, observe: UInt32?, accept: UInt32? = nil,
                 code: Code = .get) -> Message {
    var m = Message(type: .confirmable, code: code, messageID: 1, token: token)
    m.uriPath = path
    m.observe = observe
    m.accept = accept
    return m
}

private func content(_ token: Token, _ payload: [UInt8] = Array("21.5".utf8)) -> Message {
    var m = Message(type: .acknowledgement, code: .content, messageID: 1, token: token, payload: payload)
    m.contentFormat = 0
    return m
}

private let temperature = ["3303", "0", "5700"]

@Suite struct ObserverListTests {
    @Test func registersAndNumbersFromZero() throws {
        var list = ObserverList()
        let request = get(temperature, token: tokenA, observe: 0, accept: 0)
        let answer = list.respond(to: request, from: alice, with: content(tokenA), now: .seconds(1))
        #expect(answer.response.observe == 0)
        #expect(answer.response.payload == Array("21.5".utf8))
        guard case .registered(let relation) = answer.change else { Issue.record("not registered"); return }
        #expect(relation.peer == alice && relation.token == tokenA)
        #expect(relation.path == temperature && relation.accept == 0)
        #expect(relation.nextSequence == ObserveSequence(1))
        #expect(list.count == 1)

        let key = relation.key
        let n1Maybe = list.notification(for: key, contentFormat: 0, payload: Array("22".utf8),
                                                 confirmable: false, messageID: 0x100, now: .seconds(2))
        let n1 = try #require(n1Maybe)
        let n2Maybe = list.notification(for: key, contentFormat: 0, payload: Array("23".utf8),
                                                 confirmable: true, messageID: 0x101, now: .seconds(3))
        let n2 = try #require(n2Maybe)
        #expect(n1.observe == 1 && n2.observe == 2)
        #expect(n1.type == .nonConfirmable && n2.type == .confirmable)
        #expect(n1.messageID == 0x100 && n2.messageID == 0x101)
        #expect(n1.token == tokenA && n2.token == tokenA)
        #expect(n1.code == .content && n1.contentFormat == 0 && n1.payload == Array("22".utf8))
        #expect(list[key]?.notificationCount == 2)
        #expect(list[key]?.recentMessageIDs == [0x100, 0x101])
        // Golden bytes of n1: NON 2.05, TKL 1, mid 0x0100, token A1, Observe(6)=1, Content-Format(12)=0.
        #expect(n1.encoded() == [0x51, 0x45, 0x01, 0x00, 0xA1, 0x61, 0x01, 0x60, 0xFF, 0x32, 0x32])
    }

    @Test func configuredStartWrapsAtTwentyFourBits() throws {
        var config = ObserverList.Configuration()
        config.initialSequence = 0xFF_FFFE
        var list = ObserverList(configuration: config)
        let a = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        #expect(a.response.observe == 0xFF_FFFE)
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        let seqs = (0..<3).compactMap {
            list.notification(for: key, contentFormat: 0, payload: [], confirmable: false,
                              messageID: UInt16($0), now: .zero)?.observe
        }
        #expect(seqs == [0xFF_FFFF, 0, 1])
    }

    /// RFC 7641 §4.1: an entry is keyed by endpoint and token, and a matching registration
    /// replaces it. The count carries on so the observer never sees the number go back.
    @Test func sameTokenFromSamePeerReplacesTheRelation() throws {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        _ = list.notification(for: key, contentFormat: 0, payload: [], confirmable: false, messageID: 10, now: .zero)
        _ = list.notification(for: key, contentFormat: 0, payload: [], confirmable: false, messageID: 11, now: .zero)
        let other = ["3303", "0", "5601"]
        let again = list.respond(to: get(other, token: tokenA, observe: 0, accept: 11542), from: alice,
                                 with: content(tokenA), now: .seconds(9))
        guard case .replaced(let relation) = again.change else { Issue.record("not replaced"); return }
        #expect(again.response.observe == 3)
        #expect(list.count == 1)
        #expect(relation.path == other && relation.accept == 11542)
        #expect(relation.registeredAt == .seconds(9))
        #expect(list.relations(observing: temperature).isEmpty)
        // The old notifications' ids no longer end the new relation.
        #expect(list.reset(messageID: 10, from: alice) == nil)
        #expect(list.notification(for: key, contentFormat: 0, payload: [], confirmable: false,
                                  messageID: 12, now: .seconds(10))?.observe == 4)
    }

    /// A second token for the same path, or the same token from another peer, is a separate relation.
    @Test func otherTokenOrOtherPeerIsASeparateRelation() {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .seconds(1))
        let second = list.respond(to: get(temperature, token: tokenB, observe: 0), from: alice, with: content(tokenB), now: .seconds(2))
        let third = list.respond(to: get(temperature, token: tokenA, observe: 0), from: bob, with: content(tokenA), now: .seconds(3))
        guard case .registered = second.change, case .registered = third.change else {
            Issue.record("expected three registrations"); return
        }
        #expect(second.response.observe == 0 && third.response.observe == 0)
        #expect(list.count == 3)
        let observers = list.relations(observing: temperature).map(\.key)
        #expect(observers == [.init(peer: alice, token: tokenA), .init(peer: alice, token: tokenB),
                              .init(peer: bob, token: tokenA)])
        #expect(list.relations(of: alice).count == 2)
        #expect(list.removeAll(of: alice).count == 2)
        #expect(list.relations.map(\.peer) == [bob])
    }

    @Test func observeOneDeregisters() {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        var stray = content(tokenA)
        stray.observe = 7    // whatever the resource layer left on it must not go out
        let answer = list.respond(to: get(temperature, token: tokenA, observe: 1), from: alice, with: stray, now: .seconds(1))
        guard case .deregistered(let r) = answer.change else { Issue.record("not deregistered"); return }
        #expect(r.key == .init(peer: alice, token: tokenA))
        #expect(answer.response.observe == nil)
        #expect(list.count == 0)
        // Deregistering what is not there changes nothing.
        #expect(list.respond(to: get(temperature, token: tokenA, observe: 1), from: alice, with: content(tokenA),
                             now: .seconds(2)).change == .none)
    }

    @Test func errorAnswerRegistersNothingAndEndsAnExistingRelation() {
        var list = ObserverList()
        let notFound = Message(type: .acknowledgement, code: .notFound, messageID: 1, token: tokenA)
        let first = list.respond(to: get(["9", "9"], token: tokenA, observe: 0), from: alice, with: notFound, now: .zero)
        #expect(first.change == .none && first.response.observe == nil && list.count == 0)
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let again = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: notFound, now: .zero)
        guard case .deregistered = again.change else { Issue.record("expected removal"); return }
        #expect(list.count == 0)
    }

    @Test func plainRequestsAndOtherValuesChangeNothing() {
        var list = ObserverList()
        for request in [get(temperature, token: tokenA, observe: nil),
                        get(temperature, token: tokenA, observe: 0, code: .put),
                        get(temperature, token: tokenA, observe: 2)] {
            let a = list.respond(to: request, from: alice, with: content(tokenA), now: .zero)
            #expect(a.change == .none && a.response.observe == nil)
        }
        #expect(list.count == 0)
        // FETCH may observe too (RFC 8132).
        let f = list.respond(to: get(temperature, token: tokenA, observe: 0, code: .fetch), from: alice,
                             with: content(tokenA), now: .zero)
        #expect(f.response.observe == 0 && list.count == 1)
    }

    @Test func resetMatchesRecentNotificationIDsOfThatPeerOnly() {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        for id in UInt16(20)...25 {
            _ = list.notification(for: key, contentFormat: 0, payload: [], confirmable: false, messageID: id, now: .zero)
        }
        #expect(list[key]?.recentMessageIDs == [22, 23, 24, 25])
        #expect(list.reset(messageID: 23, from: bob) == nil)      // same id, other peer
        #expect(list.reset(messageID: 21, from: alice) == nil)    // too old to remember
        #expect(list.reset(messageID: 23, from: alice)?.key == key)
        #expect(list.count == 0)
    }

    @Test func confirmableTimeoutEndsTheRelation() {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        _ = list.respond(to: get(temperature, token: tokenB, observe: 0), from: alice, with: content(tokenB), now: .zero)
        let keyB = ObserveRelation.Key(peer: alice, token: tokenB)
        _ = list.notification(for: keyB, contentFormat: 0, payload: [], confirmable: true, messageID: 77, now: .zero)
        #expect(list.confirmableTimedOut(messageID: 77, to: alice)?.key == keyB)
        #expect(list.relations.map(\.token) == [tokenA])
    }

    /// §4.2: a non-2.xx notification carries no Observe and ends the relation.
    @Test func errorNotificationEndsTheRelation() throws {
        var list = ObserverList()
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        let nMaybe = list.notification(for: key, code: .notFound, contentFormat: nil, payload: [],
                                               confirmable: true, messageID: 5, now: .zero)
        let n = try #require(nMaybe)
        #expect(n.code == .notFound && n.observe == nil && n.token == tokenA)
        #expect(list.count == 0)
        #expect(list.notification(for: key, contentFormat: 0, payload: [], confirmable: false, messageID: 6, now: .zero) == nil)
    }

    /// The daily-CON rule, at the exact millisecond boundary in virtual time.
    @Test func confirmableIsDueEveryTwentyFourHours() {
        var list = ObserverList()
        let day: Int64 = 86_400_000
        let t0 = Instant.seconds(100)
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: t0)
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        #expect(!list.confirmableDue(for: key, now: t0 + (day - 1)))
        #expect(list.confirmableDue(for: key, now: t0 + day))
        _ = list.notification(for: key, contentFormat: 0, payload: [], confirmable: false, messageID: 1, now: t0 + day)
        #expect(list.confirmableDue(for: key, now: t0 + day + 1))     // a NON does not reset it
        let tc = t0 + day + 5
        _ = list.notification(for: key, contentFormat: 0, payload: [], confirmable: true, messageID: 2, now: tc)
        #expect(!list.confirmableDue(for: key, now: tc + (day - 1)))
        #expect(list.confirmableDue(for: key, now: tc + day))

        var config = ObserverList.Configuration()
        config.confirmableInterval = nil
        var never = ObserverList(configuration: config)
        _ = never.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: t0)
        #expect(!never.confirmableDue(for: key, now: t0 + 10 * day))
    }

    @Test func fullListAnswersWithoutObserve() {
        var config = ObserverList.Configuration()
        config.maximumRelations = 1
        var list = ObserverList(configuration: config)
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let refused = list.respond(to: get(temperature, token: tokenB, observe: 0), from: alice, with: content(tokenB), now: .zero)
        #expect(refused.change == .refused && refused.response.observe == nil && list.count == 1)
        // Replacing the existing entry still works when full.
        let replaced = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        #expect(replaced.response.observe == 1)
    }

    /// An exchange layer that picks the message id after the notification is built reports
    /// it with `sent(messageID:for:)`; until then no RST can match it.
    @Test func messageIDsReportedAfterTheNotificationIsBuilt() throws {
        var list = ObserverList()
        let key = ObserveRelation.Key(peer: alice, token: tokenA)
        _ = list.respond(to: get(temperature, token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .zero)
        let built = list.notification(for: key, contentFormat: 0, payload: [1], confirmable: true,
                                      messageID: nil, now: .seconds(1))
        let n = try #require(built)
        #expect(n.messageID == 0 && n.observe == 1 && list[key]?.recentMessageIDs == [])
        #expect(list.confirmableTimedOut(messageID: 0x300, to: alice) == nil)
        list.sent(messageID: 0x300, for: key)
        #expect(list[key]?.recentMessageIDs == [0x300])
        // A replacement starts with no ids: the old message's timeout cannot end it.
        _ = list.respond(to: get(["3", "0", "0"], token: tokenA, observe: 0), from: alice, with: content(tokenA), now: .seconds(2))
        #expect(list.confirmableTimedOut(messageID: 0x300, to: alice) == nil && list.count == 1)
        list.sent(messageID: 0x301, for: ObserveRelation.Key(peer: bob, token: tokenA))
        #expect(list.count == 1, "no relation of bob: nothing recorded")
    }
}
