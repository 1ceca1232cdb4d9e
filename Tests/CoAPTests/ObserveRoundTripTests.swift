import Testing
@testable import CoAP

/// ObserverList (server) and Observation (client) talking through the codec, with the
/// network's reordering and the client's RST played by hand.
@Suite struct ObserveRoundTripTests {
    let server = PeerAddress(host: "192.0.2.1", port: 5683)
    let device = PeerAddress(host: "192.0.2.2", port: 5683)

    private func wire(_ m: Message) throws -> Message { try Message(decoding: m.encoded()) }

    @Test func reorderedNotificationIsDroppedAndRejectionEndsTheRelation() throws {
        // The LwM2M server observes /19/0/0 on the device.
        var request = Message(type: .confirmable, code: .get, messageID: 1, token: Token([1, 2, 3, 4])!)
        request.uriPath = ["19", "0", "0"]
        var observation = Observation(request: request, peer: device)
        var observers = ObserverList()

        let sent = try wire(observation.request)
        var content = Message(type: .acknowledgement, code: .content, messageID: sent.messageID, token: sent.token,
                              payload: [0x00])
        content.contentFormat = 42
        let first = observers.respond(to: sent, from: server, with: content, now: .seconds(1)).response
        guard case .notification = observation.receive(try wire(first), now: .seconds(1)) else {
            Issue.record("registration not accepted"); return
        }

        let key = ObserveRelation.Key(peer: server, token: sent.token)
        var notifications: [Message] = []
        for (i, byte) in [UInt8(0x10), 0x20, 0x30].enumerated() {
            let n = observers.notification(for: key, contentFormat: 42, payload: [byte], confirmable: false,
                                           messageID: 100 + UInt16(i), now: .seconds(2))
            notifications.append(try wire(try #require(n)))
        }
        #expect(notifications.map(\.observe) == [1, 2, 3])

        // The network swaps the first two.
        var delivered: [[UInt8]] = []
        for n in [notifications[1], notifications[0], notifications[2]] {
            if case .notification(let m) = observation.receive(n, now: .seconds(3)) { delivered.append(m.payload) }
        }
        #expect(delivered == [[0x20], [0x30]])

        // The client loses interest; the next notification is rejected, the RST ends the relation.
        observation.forget()
        let next = observers.notification(for: key, contentFormat: 42, payload: [0x40], confirmable: true,
                                          messageID: 103, now: .seconds(4))
        let last = try wire(try #require(next))
        #expect(observation.receive(last, now: .seconds(4)) == .reject)
        let rst = Message(type: .reset, code: .empty, messageID: last.messageID)
        #expect(observers.reset(messageID: try wire(rst).messageID, from: device) == nil)   // wrong peer
        #expect(observers.reset(messageID: rst.messageID, from: server)?.key == key)
        #expect(observers.count == 0)
    }
}
