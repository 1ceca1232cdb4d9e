import Testing
@testable import CoAP

/// Requests from peers: delivery once, piggybacked and separate answers, de-duplication in
/// virtual time, rejection rules, and notifications with their fate.
@Suite struct EndpointServerTests {
    private func endpoint(_ configuration: CoAPEndpoint.Configuration = .init()) -> CoAPEndpoint {
        CoAPEndpoint(configuration: configuration, seed: 7, firstMessageID: 0x2000)
    }

    private func read(_ mid: UInt16, _ type: MessageType = .confirmable, token: [UInt8] = [0xAB, 0xCD]) -> Message {
        var m = Message(type: type, code: .get, messageID: mid, token: Token(token)!)
        m.uriPath = ["3", "0", "0"]
        return m
    }

    private func deliver(_ e: inout CoAPEndpoint, _ m: Message, from peer: PeerAddress = serverAddress,
                         at time: Int64) -> [Message] {
        decoded(e.receive(Datagram(m.encoded(), peer: peer), now: at(time)))
    }

    @Test func confirmableRequestGetsAPiggybackedResponse() throws {
        var e = endpoint()
        #expect(deliver(&e, read(0x0101), at: 0).isEmpty)
        let events = e.takeEvents()
        #expect(events.count == 1)
        let request = try #require(events.first?.request)
        #expect(request.peer == serverAddress && request.isConfirmable && request.message == read(0x0101))
        let content = Message(type: .nonConfirmable, code: .content, messageID: 999, payload: Array("Quectel".utf8))
        #expect(e.respond(to: request, with: content, now: at(5)) == .piggybacked)
        let sent = decoded(e.takeDatagrams())
        #expect(sent == [Message(type: .acknowledgement, code: .content, messageID: 0x0101,
                                 token: Token([0xAB, 0xCD])!, payload: Array("Quectel".utf8))])
        // Answering twice does nothing.
        #expect(e.respond(to: request, with: content, now: at(6)) == .notPending)
        #expect(e.takeDatagrams().isEmpty)
    }

    @Test func duplicateConfirmableRequestGetsTheSameAnswerAndIsNotDeliveredTwice() throws {
        var e = endpoint()
        _ = deliver(&e, read(0x0102), at: 0)
        let request = try #require(e.takeEvents().first?.request)
        // A copy before the answer: nothing to send yet, not delivered again.
        #expect(deliver(&e, read(0x0102), at: 1000).isEmpty)
        #expect(e.takeEvents() == [.dropped(serverAddress, .duplicate)])
        e.respond(to: request, with: Message(type: .acknowledgement, code: .content, payload: [1]), now: at(1500))
        let answer = e.takeDatagrams()
        // Copies after the answer, up to EXCHANGE_LIFETIME: the same bytes again.
        #expect(e.receive(Datagram(read(0x0102).encoded(), peer: serverAddress), now: at(3000)) == answer)
        #expect(e.receive(Datagram(read(0x0102).encoded(), peer: serverAddress), now: at(246_999)) == answer)
        #expect(e.takeEvents() == [.dropped(serverAddress, .duplicate), .dropped(serverAddress, .duplicate)])
        // At 247 s it is forgotten: the same message id is a new request.
        #expect(deliver(&e, read(0x0102), at: 247_000).isEmpty)
        #expect(e.takeEvents().first?.request != nil)
    }

    @Test func sameMessageIDFromAnotherPeerIsNotADuplicate() {
        var e = endpoint()
        _ = deliver(&e, read(0x0103), from: serverAddress, at: 0)
        _ = deliver(&e, read(0x0103), from: strangerAddress, at: 0)
        #expect(e.takeEvents().compactMap(\.request).map(\.peer) == [serverAddress, strangerAddress])
    }

    @Test func nonConfirmableDuplicatesAreDroppedForNonLifetime() {
        var e = endpoint()
        _ = deliver(&e, read(0x0104, .nonConfirmable), at: 0)
        #expect(e.takeEvents().compactMap(\.request).count == 1)
        #expect(deliver(&e, read(0x0104, .nonConfirmable), at: 144_999).isEmpty)
        #expect(e.takeEvents() == [.dropped(serverAddress, .duplicate)])
        _ = deliver(&e, read(0x0104, .nonConfirmable), at: 145_000)
        #expect(e.takeEvents().compactMap(\.request).count == 1)
    }

    @Test func nonConfirmableRequestGetsANonConfirmableResponse() throws {
        var e = endpoint()
        _ = deliver(&e, read(0x0105, .nonConfirmable), at: 0)
        let request = try #require(e.takeEvents().first?.request)
        #expect(!request.isConfirmable)
        let deferred = e.deferResponse(to: request, now: at(1))
        #expect(!deferred)
        guard case .separate(let handle) = e.respond(to: request, with: Message(type: .acknowledgement, code: .content),
                                                     now: at(2)) else { Issue.record("not separate"); return }
        let sent = decoded(e.takeDatagrams())
        #expect(sent == [Message(type: .nonConfirmable, code: .content, messageID: 0x2000, token: Token([0xAB, 0xCD])!)])
        #expect(!handle.isConfirmable && handle.messageID == 0x2000)
        #expect(e.nextDeadline == at(2 + 145_000)) // remembered only to match a RST
    }

    @Test func deferredResponseIsSentSeparatelyAndRetransmittedUntilAcknowledged() throws {
        var e = endpoint()
        _ = deliver(&e, read(0x0106), at: 0)
        let request = try #require(e.takeEvents().first?.request)
        let deferred = e.deferResponse(to: request, now: at(100))
        #expect(deferred)
        let emptyAck = [Message(type: .acknowledgement, code: .empty, messageID: 0x0106)]
        #expect(decoded(e.takeDatagrams()) == emptyAck)
        let deferredAgain = e.deferResponse(to: request, now: at(101))
        #expect(!deferredAgain)
        // The client's copy (our ACK was lost) gets the empty ACK again.
        #expect(deliver(&e, read(0x0106), at: 2000) == emptyAck)
        _ = e.takeEvents()

        let disposition = e.respond(to: request, with: Message(type: .acknowledgement, code: .content, payload: [5]),
                                    now: at(10_000))
        guard case .separate(let handle) = disposition else { Issue.record("not separate"); return }
        let response = Message(type: .confirmable, code: .content, messageID: 0x2000, token: Token([0xAB, 0xCD])!,
                               payload: [5])
        #expect(decoded(e.takeDatagrams()) == [response])
        #expect(decoded(e.advance(to: at(12_000))) == [response])
        _ = deliver(&e, Message(type: .acknowledgement, code: .empty, messageID: 0x2000), at: 12_500)
        #expect(e.takeEvents() == [.notificationAcknowledged(handle)])
        #expect(e.nextDeadline == nil)
    }

    @Test func pingIsAnsweredWithReset() {
        var e = endpoint()
        let out = deliver(&e, Message(type: .confirmable, code: .empty, messageID: 0x0BAD), at: 0)
        #expect(out == [Message(type: .reset, code: .empty, messageID: 0x0BAD)])
        #expect(e.takeEvents().isEmpty)
        #expect(e.rememberedMessageCount == 0)
    }

    @Test func unknownCriticalOptionInAConfirmableRequestIsBadOption() {
        var e = endpoint()
        var m = read(0x0107)
        m.add(Option(OptionNumber(2049), [1])) // odd: critical, and not one we know
        let out = deliver(&e, m, at: 0)
        #expect(out.count == 1)
        #expect(out.first?.type == .acknowledgement)
        #expect(out.first?.code == .badOption)
        #expect(out.first?.messageID == 0x0107)
        #expect(out.first?.token == Token([0xAB, 0xCD]))
        #expect(e.takeEvents() == [.dropped(serverAddress, .unknownCriticalOption(OptionNumber(2049)))])
        // A copy gets the same 4.02.
        #expect(deliver(&e, m, at: 1000) == out)
    }

    @Test func unknownCriticalOptionInANonConfirmableRequestIsIgnored() {
        var e = endpoint()
        var m = read(0x0108, .nonConfirmable)
        m.add(Option(OptionNumber(9), [])) // 9 is unassigned and odd
        #expect(deliver(&e, m, at: 0).isEmpty)
        #expect(e.takeEvents() == [.dropped(serverAddress, .unknownCriticalOption(OptionNumber(9)))])
    }

    @Test func unknownElectiveOptionsAreIgnored() throws {
        var e = endpoint()
        var m = read(0x0109)
        m.add(Option(OptionNumber(2048), [1])) // even: elective
        m.add(Option(OptionNumber(258), []))
        _ = deliver(&e, m, at: 0)
        let request = try #require(e.takeEvents().first?.request)
        #expect(request.message == m)
    }

    @Test func malformedConfirmableIsResetAndChangesNothing() {
        var e = endpoint()
        _ = e.sendRequest(getMessage("x"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.takeDatagrams()
        _ = deliver(&e, read(0x0001), at: 0)
        _ = e.takeEvents()
        let before = (e.openRequestCount, e.outstandingTransmissionCount, e.rememberedMessageCount, e.nextDeadline)

        // CON, mid 0x0110, option length 5 with 1 byte present.
        let truncated: [UInt8] = [0x40, 0x01, 0x01, 0x10, 0x05, 0x01]
        let out = decoded(e.receive(Datagram(truncated, peer: serverAddress), now: at(10)))
        #expect(out == [Message(type: .reset, code: .empty, messageID: 0x0110)])
        // NON with token length 9: dropped silently.
        #expect(e.receive(Datagram([0x59, 0x01, 0x01, 0x11] + [UInt8](repeating: 0, count: 9), peer: serverAddress),
                          now: at(11)).isEmpty)
        // Not even a header: nothing to answer.
        #expect(e.receive(Datagram([0x40, 0x01], peer: serverAddress), now: at(12)).isEmpty)
        #expect(e.takeEvents() == [.dropped(serverAddress, .malformed(.truncatedOption)),
                                   .dropped(serverAddress, .malformed(.tokenTooLong(9))),
                                   .dropped(serverAddress, .malformed(.truncatedHeader))])
        let after = (e.openRequestCount, e.outstandingTransmissionCount, e.rememberedMessageCount, e.nextDeadline)
        #expect(before == after)
    }

    @Test func messagesBreakingTheRulesAreDropped() {
        var e = endpoint()
        // Reserved code class 7 in a CON: RST.
        #expect(deliver(&e, Message(type: .confirmable, code: Code(7, 1), messageID: 1), at: 0)
                == [Message(type: .reset, code: .empty, messageID: 1)])
        // Empty NON, request code in an ACK, RST with a code: silently dropped.
        #expect(deliver(&e, Message(type: .nonConfirmable, code: .empty, messageID: 2), at: 0).isEmpty)
        #expect(deliver(&e, Message(type: .acknowledgement, code: .get, messageID: 3), at: 0).isEmpty)
        #expect(deliver(&e, Message(type: .reset, code: .content, messageID: 4), at: 0).isEmpty)
        let reasons = e.takeEvents().compactMap(\.droppedReason)
        #expect(reasons.count == 4)
        #expect(reasons.allSatisfy { if case .invalid = $0 { true } else { false } })
    }

    @Test func notificationFates() {
        var e = endpoint()
        var n = Message(type: .nonConfirmable, code: .content, token: Token([0x01, 0x02])!, payload: [1])
        n.observe = 7
        let acked = e.sendNotification(n, to: clientAddress, confirmable: true, now: .zero)
        let reset = e.sendNotification(n, to: clientAddress, confirmable: true, now: .zero)
        let resetNon = e.sendNotification(n, to: clientAddress, confirmable: false, now: .zero)
        let lost = e.sendNotification(n, to: clientAddress, confirmable: true, now: .zero)
        let sent = decoded(e.takeDatagrams())
        #expect(sent.map(\.type) == [.confirmable, .confirmable, .nonConfirmable, .confirmable])
        #expect(sent.map(\.messageID) == [0x2000, 0x2001, 0x2002, 0x2003])
        #expect(sent.allSatisfy { $0.token == Token([0x01, 0x02]) && $0.observe == 7 })

        _ = deliver(&e, Message(type: .acknowledgement, code: .empty, messageID: acked.messageID), from: clientAddress, at: 100)
        _ = deliver(&e, Message(type: .reset, code: .empty, messageID: reset.messageID), from: clientAddress, at: 200)
        _ = deliver(&e, Message(type: .reset, code: .empty, messageID: resetNon.messageID), from: clientAddress, at: 300)
        #expect(e.takeEvents() == [.notificationAcknowledged(acked), .notificationReset(reset),
                                   .notificationReset(resetNon)])
        _ = e.advance(to: at(125_999))
        #expect(e.takeEvents().isEmpty)
        _ = e.advance(to: at(126_000))
        #expect(e.takeEvents() == [.notificationTimedOut(lost)])
        #expect(e.outstandingTransmissionCount == 0)
    }

    @Test func respondingToAnExpiredRequestSendsNothing() throws {
        var e = endpoint()
        _ = deliver(&e, read(0x0111), at: 0)
        let request = try #require(e.takeEvents().first?.request)
        #expect(e.respond(to: request, with: Message(type: .acknowledgement, code: .content), now: at(247_000))
                == .notPending)
        #expect(e.takeDatagrams().isEmpty)
    }

    @Test func answerNeverReachesALaterRequestReusingTheMessageID() throws {
        var e = endpoint()
        _ = deliver(&e, read(0x0112), at: 0)
        let old = try #require(e.takeEvents().first?.request)
        _ = deliver(&e, read(0x0112), at: 300_000)
        let new = try #require(e.takeEvents().first?.request)
        #expect(old.id != new.id)
        #expect(e.respond(to: old, with: Message(type: .acknowledgement, code: .content), now: at(300_001)) == .notPending)
        #expect(e.respond(to: new, with: Message(type: .acknowledgement, code: .content), now: at(300_002)) == .piggybacked)
    }

    @Test func tableOfReceivedMessagesIsCappedAndExpires() {
        var e = endpoint(.init(maxReceivedMessages: 3))
        for mid in 1...4 as ClosedRange<UInt16> { _ = deliver(&e, read(mid), at: 0) }
        let events = e.takeEvents()
        #expect(events.compactMap(\.request).count == 3)
        #expect(events.last == .dropped(serverAddress, .overloaded))
        #expect(e.rememberedMessageCount == 3)
        _ = e.advance(to: at(247_000))
        #expect(e.rememberedMessageCount == 0)
        _ = deliver(&e, read(4), at: 247_000)
        #expect(e.takeEvents().compactMap(\.request).count == 1)
    }
}
