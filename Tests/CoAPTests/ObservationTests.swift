import Testing
@testable import CoAP

private let server = PeerAddress(host: "10.0.0.1", port: 5683)
private let token = Token([0xCA, 0xFE])!

private func registration() -> Message {
    var m = Message(type: .confirmable, code: .get, messageID: 7, token: token)
    m.uriPath = ["3", "0", "13"]
    m.accept = 11542
    return m
}

private func notification(_ observe: UInt32?, code: Code = .content, payload: [UInt8] = [1]) -> Message {
    var m = Message(type: .nonConfirmable, code: code, messageID: 900, token: token, payload: payload)
    m.observe = observe
    return m
}

@Suite struct ObservationTests {
    @Test func registrationRequestCarriesObserveZero() {
        var r = registration()
        r.observe = nil
        let o = Observation(request: r, peer: server)
        #expect(o.request.observe == 0)
        #expect(o.request.first(.observe)?.value == [])   // uint 0 is the empty option value
        #expect(o.token == token)
        #expect(o.state == .requested)
    }

    @Test func freshNotificationsPassAndStaleOnesAreIgnored() {
        var o = Observation(request: registration(), peer: server)
        let t = Instant.seconds(1)
        #expect(o.receive(notification(5), now: t) == .notification(notification(5)))
        #expect(o.state == .established)
        #expect(o.receive(notification(6), now: t + 10) == .notification(notification(6)))
        // 5 arrives late (reordered): ignored, and does not move the state back.
        #expect(o.receive(notification(5), now: t + 20) ==
                .ignored(.stale(last: ObserveSequence(6), received: ObserveSequence(5))))
        // A duplicate of the last one is not fresher either.
        #expect(o.receive(notification(6), now: t + 30) ==
                .ignored(.stale(last: ObserveSequence(6), received: ObserveSequence(6))))
        #expect(o.lastSequence == ObserveSequence(6))
        #expect(o.lastReceivedAt == t + 10)
        // Skipping numbers is fine: the server may count notifications it never sent us.
        #expect(o.receive(notification(9), now: t + 40) == .notification(notification(9)))
    }

    @Test func acceptsAcrossTheTwentyFourBitWrap() {
        var o = Observation(request: registration(), peer: server)
        #expect(o.receive(notification(0xFF_FFFE), now: .zero) == .notification(notification(0xFF_FFFE)))
        #expect(o.receive(notification(0xFF_FFFF), now: .zero + 1) == .notification(notification(0xFF_FFFF)))
        #expect(o.receive(notification(0), now: .zero + 2) == .notification(notification(0)))
        #expect(o.receive(notification(2), now: .zero + 3) == .notification(notification(2)))
        // 0xFFFFFF is now behind 2 across the wrap.
        #expect(o.receive(notification(0xFF_FFFF), now: .zero + 4) ==
                .ignored(.stale(last: ObserveSequence(2), received: ObserveSequence(0xFF_FFFF))))
        // Exactly 2^23 ahead of 2 reads as behind.
        #expect(o.receive(notification(2 + 0x80_0000), now: .zero + 5) ==
                .ignored(.stale(last: ObserveSequence(2), received: ObserveSequence(0x80_0002))))
        #expect(o.receive(notification(1 + 0x80_0000), now: .zero + 6) == .notification(notification(0x80_0001)))
    }

    /// A server that restarted its counter is believed again once 128 s passed since the last
    /// notification let through, measured in virtual time on the client.
    @Test func olderNumberIsFreshAfter128Seconds() {
        var o = Observation(request: registration(), peer: server)
        #expect(o.receive(notification(1000), now: .seconds(5)) == .notification(notification(1000)))
        #expect(o.receive(notification(3), now: .seconds(133)) ==
                .ignored(.stale(last: ObserveSequence(1000), received: ObserveSequence(3))))
        // The ignored one did not reset the clock: 128 s + 1 ms after t=5 s it passes.
        #expect(o.receive(notification(3), now: .seconds(5) + 128_001) == .notification(notification(3)))
        #expect(o.lastSequence == ObserveSequence(3))
        #expect(o.receive(notification(4), now: .seconds(134)) == .notification(notification(4)))
    }

    @Test func responseWithoutObserveEndsTheObservation() {
        var o = Observation(request: registration(), peer: server)
        // The server would not register: a plain 2.05 answers the GET and that is all.
        #expect(o.receive(notification(nil), now: .zero) == .ended(notification(nil)))
        #expect(o.state == .ended)
        #expect(o.receive(notification(4), now: .zero + 1) == .ignored(.alreadyEnded))
    }

    @Test func errorNotificationEndsTheObservation() {
        var o = Observation(request: registration(), peer: server)
        _ = o.receive(notification(1), now: .zero)
        let gone = notification(nil, code: .notFound, payload: [])
        #expect(o.receive(gone, now: .zero + 1) == .ended(gone))
        #expect(o.state == .ended)
    }

    @Test func proactiveCancelBuildsDeregisterWithSameTokenAndOptions() {
        var o = Observation(request: registration(), peer: server)
        _ = o.receive(notification(1), now: .zero)
        let cancel = o.cancel()
        #expect(cancel.code == .get)
        #expect(cancel.token == token)
        #expect(cancel.observe == 1)
        #expect(cancel.uriPath == ["3", "0", "13"])
        #expect(cancel.accept == 11542)
        #expect(cancel.messageID == 0)
        #expect(o.state == .cancelled)
        // A notification overtaking the cancellation is to be RST.
        #expect(o.receive(notification(2), now: .zero + 1) == .reject)
        // The server's plain answer to the GET Observe=1 closes it.
        #expect(o.receive(notification(nil), now: .zero + 2) == .ended(notification(nil)))
        #expect(o.state == .ended)
    }

    @Test func reactiveCancelRejectsTheNextNotification() {
        var o = Observation(request: registration(), peer: server)
        _ = o.receive(notification(1), now: .zero)
        o.forget()
        #expect(o.receive(notification(2), now: .zero + 1) == .reject)
        #expect(o.receive(notification(3), now: .zero + 2) == .reject)
    }

    @Test func malformedObserveAndRequestsAreIgnored() {
        var o = Observation(request: registration(), peer: server)
        var big = notification(nil)
        big.add(Option(.observe, [1, 0, 0, 0]))     // 4 bytes: over 24 bits
        #expect(o.receive(big, now: .zero) == .ignored(.malformedObserve(0x100_0000)))
        #expect(o.receive(registration(), now: .zero) == .ignored(.notAResponse))
        #expect(o.state == .requested)
    }
}
