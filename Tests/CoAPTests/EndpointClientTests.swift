import Testing
@testable import CoAP

/// Our requests: identifiers, retransmission in exact virtual time, matching of ACKs, RSTs and
/// responses, and what happens to answers that come too late.
@Suite struct EndpointClientTests {
    private func endpoint(firstMessageID: UInt16 = 0x1000) -> CoAPEndpoint {
        CoAPEndpoint(seed: 99, firstMessageID: firstMessageID)
    }

    @Test func messageIDsAreSequentialFromTheSeededStartAndWrap() {
        var e = CoAPEndpoint(seed: 5)
        var rng = SplitMix64(seed: 5)
        let start = UInt16(truncatingIfNeeded: rng.next())
        let ids = (0..<3).map { _ in e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero).messageID }
        #expect(ids == [start, start &+ 1, start &+ 2])
        #expect(CoAPEndpoint(seed: 6).nextMessageID != start)

        var w = endpoint(firstMessageID: 0xFFFE)
        let wrapped = (0..<3).map { _ in w.sendRequest(getMessage("a"), to: serverAddress, confirmable: false, now: .zero).messageID }
        #expect(wrapped == [0xFFFE, 0xFFFF, 0x0000])
    }

    @Test func messageIDStillInUseTowardsThePeerIsSkipped() {
        var e = endpoint(firstMessageID: 0xFFFF)
        let first = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        e.nextMessageID = 0xFFFF // as if the counter had gone all the way round
        let second = e.sendRequest(getMessage("b"), to: serverAddress, confirmable: true, now: .zero)
        #expect(first.messageID == 0xFFFF)
        #expect(second.messageID == 0x0000)
        // Towards another peer the same id is free.
        e.nextMessageID = 0xFFFF
        #expect(e.sendRequest(getMessage("c"), to: strangerAddress, confirmable: true, now: .zero).messageID == 0xFFFF)
    }

    @Test func tokensAreFreshUnlessGiven() {
        var e = endpoint()
        let a = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        let b = e.sendRequest(getMessage("b"), to: serverAddress, confirmable: true, now: .zero)
        #expect(a.token.count == 4 && b.token.count == 4)
        #expect(a.token != b.token)
        var given = getMessage("c")
        given.token = Token([0xCA, 0xFE])!
        let c = e.sendRequest(given, to: serverAddress, confirmable: true, now: .zero)
        #expect(c.token == Token([0xCA, 0xFE])!)
        let sent = decoded(e.takeDatagrams())
        #expect(sent.map(\.token) == [a.token, b.token, c.token])
        #expect(sent.map(\.type) == [.confirmable, .confirmable, .confirmable])
        #expect(sent[2].uriPath == ["c"])
    }

    /// The module rule with its defaults: transmissions at 0, 2, 6, 14, 30, 62 s, failure at
    /// 126 s, each to the millisecond, with the same message id and bytes every time.
    @Test func retransmissionScheduleAndTimeoutAreExact() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("3", "0"), to: serverAddress, confirmable: true, now: at(1000))
        let first = e.takeDatagrams()
        #expect(first.count == 1)
        var sentAt: [Int64] = [1000]
        var t: Int64 = 1000
        while let next = e.nextDeadline {
            // One millisecond early: nothing happens.
            #expect(e.advance(to: at(next.milliseconds - 1)).isEmpty)
            #expect(e.takeEvents().isEmpty)
            t = next.milliseconds
            let out = e.advance(to: next)
            if !out.isEmpty {
                #expect(out == first)
                sentAt.append(t)
            }
        }
        #expect(sentAt == [1000, 3000, 7000, 15000, 31000, 63000])
        #expect(t == 127_000)
        #expect(e.takeEvents() == [.requestFailed(h, .timeout)])
        #expect(e.openRequestCount == 0 && e.outstandingTransmissionCount == 0)
    }

    @Test func lateWakeUpCatchesUpWithoutShiftingTheSchedule() {
        var e = endpoint()
        _ = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.takeDatagrams()
        #expect(e.advance(to: at(6500)).count == 2) // the ones due at 2 s and 6 s
        #expect(e.nextDeadline == at(14000))
    }

    @Test func piggybackedResponseEndsTheExchange() throws {
        var e = endpoint()
        let h = e.sendRequest(getMessage("3", "0", "0"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.advance(to: at(2000)) // one retransmission
        let ack = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: h.token,
                          payload: Array("BC260Y".utf8))
        #expect(e.receive(Datagram(ack.encoded(), peer: serverAddress), now: at(2500)).isEmpty)
        #expect(e.takeEvents() == [.response(h, ack)])
        #expect(e.nextDeadline == nil)
        #expect(e.openRequestCount == 0)
        // The same ACK again (the peer's copy for our retransmission) matches nothing now.
        _ = e.receive(Datagram(ack.encoded(), peer: serverAddress), now: at(2600))
        #expect(e.takeEvents() == [.dropped(serverAddress, .unexpectedAcknowledgement)])
    }

    @Test func emptyAckThenSeparateConfirmableResponse() throws {
        var e = endpoint()
        let h = e.sendRequest(getMessage("5", "0", "1"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.receive(Datagram(Message(type: .acknowledgement, code: .empty, messageID: h.messageID).encoded(),
                               peer: serverAddress), now: at(100))
        #expect(e.takeEvents().isEmpty)
        #expect(e.outstandingTransmissionCount == 0)
        #expect(e.advance(to: at(30_000)).isEmpty) // no more retransmissions
        let response = Message(type: .confirmable, code: .content, messageID: 0x7777, token: h.token, payload: [1])
        let out = decoded(e.receive(Datagram(response.encoded(), peer: serverAddress), now: at(40_000)))
        #expect(out == [Message(type: .acknowledgement, code: .empty, messageID: 0x7777)])
        #expect(e.takeEvents() == [.response(h, response)])
        // Our ACK got lost; the server retransmits: ACK again, no second delivery.
        let again = decoded(e.receive(Datagram(response.encoded(), peer: serverAddress), now: at(42_000)))
        #expect(again == [Message(type: .acknowledgement, code: .empty, messageID: 0x7777)])
        #expect(e.takeEvents() == [.dropped(serverAddress, .duplicate)])
    }

    @Test func separateNonConfirmableResponseIsNotAcknowledged() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.receive(Datagram(Message(type: .acknowledgement, code: .empty, messageID: h.messageID).encoded(),
                               peer: serverAddress), now: at(10))
        let response = Message(type: .nonConfirmable, code: .content, messageID: 9, token: h.token)
        #expect(e.receive(Datagram(response.encoded(), peer: serverAddress), now: at(20)).isEmpty)
        #expect(e.takeEvents() == [.response(h, response)])
    }

    @Test func separateResponseBeforeTheAckStopsRetransmission() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.takeDatagrams()
        let response = Message(type: .confirmable, code: .content, messageID: 42, token: h.token)
        let out = decoded(e.receive(Datagram(response.encoded(), peer: serverAddress), now: at(1500)))
        #expect(out.map(\.type) == [.acknowledgement])
        #expect(e.takeEvents() == [.response(h, response)])
        #expect(e.nextDeadline == nil)
        #expect(e.advance(to: at(200_000)).isEmpty)
    }

    @Test func responseIsMatchedByTokenAndPeer() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.takeDatagrams()
        // Right token, wrong peer: not ours. A CON response nobody waits for gets RST.
        let impostor = Message(type: .confirmable, code: .content, messageID: 5, token: h.token)
        let out = decoded(e.receive(Datagram(impostor.encoded(), peer: strangerAddress), now: at(10)))
        #expect(out == [Message(type: .reset, code: .empty, messageID: 5)])
        #expect(e.takeEvents() == [.dropped(strangerAddress, .unexpectedResponse)])
        // Right peer, wrong token: also not ours.
        let wrongToken = Message(type: .nonConfirmable, code: .content, messageID: 6, token: Token([1, 2, 3])!)
        _ = e.receive(Datagram(wrongToken.encoded(), peer: serverAddress), now: at(20))
        #expect(e.takeEvents() == [.dropped(serverAddress, .unexpectedResponse)])
        #expect(e.openRequestCount == 1)
        // An ACK for our message id from another peer does not stop the retransmission either.
        _ = e.receive(Datagram(Message(type: .acknowledgement, code: .empty, messageID: h.messageID).encoded(),
                               peer: strangerAddress), now: at(30))
        #expect(e.takeEvents() == [.dropped(strangerAddress, .unexpectedAcknowledgement)])
        #expect(e.nextDeadline == at(2000))
    }

    @Test func piggybackedResponseWithAnotherTokenIsIgnored() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        let ack = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: Token([9])!)
        _ = e.receive(Datagram(ack.encoded(), peer: serverAddress), now: at(10))
        #expect(e.takeEvents() == [.dropped(serverAddress, .unexpectedResponse)])
        #expect(e.nextDeadline == at(2000))
    }

    @Test func resetFailsTheRequest() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.receive(Datagram(Message(type: .reset, code: .empty, messageID: h.messageID).encoded(), peer: serverAddress),
                      now: at(2100))
        #expect(e.takeEvents() == [.requestFailed(h, .reset)])
        #expect(e.nextDeadline == nil)
        #expect(e.openRequestCount == 0)
    }

    @Test func responsesAfterTheTimeoutAreDroppedWithReset() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.advance(to: at(126_000))
        #expect(e.takeEvents() == [.requestFailed(h, .timeout)])
        let late = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: h.token)
        #expect(e.receive(Datagram(late.encoded(), peer: serverAddress), now: at(126_001)).isEmpty)
        let lateSeparate = Message(type: .confirmable, code: .content, messageID: 3, token: h.token)
        let out = decoded(e.receive(Datagram(lateSeparate.encoded(), peer: serverAddress), now: at(126_002)))
        #expect(out == [Message(type: .reset, code: .empty, messageID: 3)])
        #expect(e.takeEvents() == [.dropped(serverAddress, .unexpectedAcknowledgement), .dropped(serverAddress, .unexpectedResponse)])
    }

    @Test func acknowledgedButNoResponseFailsAfterTheResponseTimeout() {
        var e = CoAPEndpoint(configuration: .init(responseTimeout: 60_000), seed: 1)
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        _ = e.receive(Datagram(Message(type: .acknowledgement, code: .empty, messageID: h.messageID).encoded(),
                               peer: serverAddress), now: at(500))
        #expect(e.nextDeadline == at(60_500))
        _ = e.advance(to: at(60_499))
        #expect(e.takeEvents().isEmpty)
        _ = e.advance(to: at(60_500))
        #expect(e.takeEvents() == [.requestFailed(h, .noResponse)])
    }

    @Test func nonConfirmableRequest() {
        var e = CoAPEndpoint(configuration: .init(responseTimeout: 10_000), seed: 1)
        let a = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: false, now: .zero)
        let b = e.sendRequest(getMessage("b"), to: serverAddress, confirmable: false, now: .zero)
        let c = e.sendRequest(getMessage("c"), to: serverAddress, confirmable: false, now: .zero)
        #expect(decoded(e.takeDatagrams()).map(\.type) == [.nonConfirmable, .nonConfirmable, .nonConfirmable])
        let response = Message(type: .nonConfirmable, code: .content, messageID: 1, token: a.token)
        _ = e.receive(Datagram(response.encoded(), peer: serverAddress), now: at(100))
        _ = e.receive(Datagram(Message(type: .reset, code: .empty, messageID: b.messageID).encoded(), peer: serverAddress),
                      now: at(200))
        _ = e.advance(to: at(10_000))
        #expect(e.takeEvents() == [.response(a, response), .requestFailed(b, .reset), .requestFailed(c, .noResponse)])
        #expect(e.advance(to: at(10_000)).isEmpty) // never retransmitted
    }

    @Test func observationStaysOpenUntilCancelled() {
        var e = endpoint()
        var register = getMessage("19", "0", "0")
        register.observe = 0
        let h = e.sendRequest(register, to: serverAddress, confirmable: true, now: .zero)
        var first = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: h.token)
        first.observe = 1
        _ = e.receive(Datagram(first.encoded(), peer: serverAddress), now: at(10))
        var second = Message(type: .confirmable, code: .content, messageID: 500, token: h.token, payload: [2])
        second.observe = 2
        let ack = decoded(e.receive(Datagram(second.encoded(), peer: serverAddress), now: at(60_000)))
        #expect(ack == [Message(type: .acknowledgement, code: .empty, messageID: 500)])
        var third = Message(type: .nonConfirmable, code: .content, messageID: 501, token: h.token, payload: [3])
        third.observe = 3
        _ = e.receive(Datagram(third.encoded(), peer: serverAddress), now: at(120_000))
        #expect(e.takeEvents() == [.response(h, first), .response(h, second), .response(h, third)])
        #expect(e.openRequestCount == 1)
        #expect(e.nextDeadline == nil) // observing needs no timer

        e.cancel(h)
        var fourth = Message(type: .confirmable, code: .content, messageID: 502, token: h.token)
        fourth.observe = 4
        let rst = decoded(e.receive(Datagram(fourth.encoded(), peer: serverAddress), now: at(180_000)))
        #expect(rst == [Message(type: .reset, code: .empty, messageID: 502)])
        #expect(e.takeEvents() == [.dropped(serverAddress, .unexpectedResponse)])
    }

    @Test func observeRegistrationAnsweredWithoutObserveEnds() {
        var e = endpoint()
        var register = getMessage("19", "0", "0")
        register.observe = 0
        let h = e.sendRequest(register, to: serverAddress, confirmable: true, now: .zero)
        let notFound = Message(type: .acknowledgement, code: .notFound, messageID: h.messageID, token: h.token)
        _ = e.receive(Datagram(notFound.encoded(), peer: serverAddress), now: at(10))
        #expect(e.takeEvents() == [.response(h, notFound)])
        #expect(e.openRequestCount == 0)
    }

    @Test func reusingATokenReplacesTheOlderRequest() {
        var e = endpoint()
        var m = getMessage("19", "0", "0")
        m.token = Token([7, 7])!
        m.observe = 0
        let older = e.sendRequest(m, to: serverAddress, confirmable: true, now: .zero)
        let newer = e.sendRequest(m, to: serverAddress, confirmable: true, now: at(5))
        #expect(e.openRequestCount == 1)
        #expect(e.outstandingTransmissionCount == 1)
        let ack = Message(type: .acknowledgement, code: .content, messageID: newer.messageID, token: m.token)
        _ = e.receive(Datagram(ack.encoded(), peer: serverAddress), now: at(10))
        #expect(e.takeEvents() == [.response(newer, ack)])
        #expect(older != newer)
    }

    @Test func piggybackedResponseWithUnknownCriticalOptionIsRejected() {
        var e = endpoint()
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        var ack = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: h.token)
        ack.add(Option(OptionNumber(2049), [1]))
        _ = e.receive(Datagram(ack.encoded(), peer: serverAddress), now: at(10))
        #expect(e.takeEvents() == [.dropped(serverAddress, .unknownCriticalOption(OptionNumber(2049)))])
        #expect(e.nextDeadline == at(2000))
    }

    @Test func rfc7252PolicyDrawsTheFirstWaitFromTheSeed() {
        var e = CoAPEndpoint(configuration: .init(retransmission: .rfc7252(random: SplitMix64(seed: 0))), seed: 3)
        let first = 2000 + Int64(0xE220_A839_7B1D_CDAF as UInt64 % 1001)
        let h = e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero)
        var times: [Int64] = []
        var last: Int64 = 0
        while let next = e.nextDeadline {
            last = next.milliseconds
            if !e.advance(to: next).isEmpty { times.append(next.milliseconds) }
        }
        #expect(times == [1, 3, 7, 15].map { $0 * first })
        #expect(last == 31 * first)
        #expect(e.takeEvents() == [.requestFailed(h, .timeout)])
    }
}

extension EndpointClientTests {
    @Test func shortTokensThatRunOutFallBackToLongOnes() {
        var e = CoAPEndpoint(configuration: .init(tokenLength: 1), seed: 4)
        let handles = (0..<300).map { _ in e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero) }
        #expect(Set(handles.map(\.token)).count == 300)
        #expect(handles.filter { $0.token.count == 1 }.count <= 256)
        #expect(handles.prefix(100).allSatisfy { $0.token.count == 1 })
    }
}

extension EndpointClientTests {
    /// Only a flood of over a thousand open messages towards one peer makes an id come round
    /// again; the older message then ends as unanswered instead of lingering without a timer.
    @Test func floodedPeerReusesAnIDAndEndsTheOlderRequest() {
        var e = CoAPEndpoint(seed: 8, firstMessageID: 0)
        let handles = (0...1024).map { _ in e.sendRequest(getMessage("a"), to: serverAddress, confirmable: true, now: .zero) }
        #expect(handles.last?.messageID == 1024)
        e.nextMessageID = 0 // as if the counter had come all the way round
        let next = e.sendRequest(getMessage("c"), to: serverAddress, confirmable: true, now: at(1))
        // Ids 0...1023 were probed and all open: 1024 is taken over.
        #expect(next.messageID == 1024)
        #expect(e.takeEvents() == [.requestFailed(handles[1024], .timeout)])
        #expect(e.openRequestCount == 1025)
        #expect(e.outstandingTransmissionCount == 1025)
        // The new request owns the id now: its ACK ends it, and no one else.
        _ = e.receive(Datagram(Message(type: .acknowledgement, code: .content, messageID: 1024, token: next.token)
                                .encoded(), peer: serverAddress), now: at(2))
        #expect(e.takeEvents() == [.response(next, Message(type: .acknowledgement, code: .content, messageID: 1024,
                                                           token: next.token))])
        // A request to another peer is not held up by this one's ids.
        #expect(e.sendRequest(getMessage("d"), to: strangerAddress, confirmable: true, now: at(3)).messageID == 1025)
    }
}
