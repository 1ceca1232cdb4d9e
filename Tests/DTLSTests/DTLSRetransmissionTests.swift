import CoAP
import DTLS
import Testing

/// Handshake flights lost on the way come again on the caller's clock: OpenSSL's timers read
/// the time each call is given, never the machine's.
@Suite struct DTLSRetransmissionTests {
    @Test func aLostClientHelloGoesAgainAtOneSecondNotBefore() throws {
        var wire = try DTLSWire()
        wire.drop = { toServer, index, _ in toServer && index == 0 }
        wire.handshake()
        #expect(wire.client.state == .handshaking)
        #expect(wire.client.nextDeadline == Instant(milliseconds: 1_000))
        #expect(wire.client.advance(to: Instant(milliseconds: 999)).isEmpty, "not a millisecond early")
        wire.advance(to: Instant(milliseconds: 1_000))
        #expect(wire.log.filter(\.toServer).count >= 3, "hello, hello again, hello with the cookie...")
        #expect(wire.client.state == .established)
        wire.clientSends("after the loss")
        #expect(wire.serverPlaintext == [Array("after the loss".utf8)])
    }

    @Test func aLostServerFlightIsRecoveredByTheClientTimer() throws {
        var wire = try DTLSWire()
        // The server's second datagram is its ServerHello flight (after the HelloVerifyRequest).
        wire.drop = { toServer, index, _ in !toServer && index == 1 }
        wire.handshake()
        #expect(wire.client.state == .handshaking)
        let deadline = try #require(wire.client.nextDeadline)
        wire.advance(to: deadline)
        #expect(wire.client.state == .established, "\(wire.client.state)")
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
    }

    @Test func aLostFinalFlightIsRecovered() throws {
        var wire = try DTLSWire()
        // Drop everything the server sends after the ServerHello flight once: its Finished.
        wire.drop = { toServer, index, _ in !toServer && index == 2 }
        wire.handshake()
        #expect(wire.server.isEstablished(DTLSWire.clientAddress), "the server is done")
        #expect(wire.client.state == .handshaking, "the client never saw its Finished")
        wire.advance(to: try #require(wire.client.nextDeadline))
        #expect(wire.client.state == .established, "\(wire.client.state)")
        wire.serverSends("hello")
        #expect(wire.clientPlaintext == [Array("hello".utf8)])
    }

    @Test func waitsDoubleThenTheHandshakeTimesOut() throws {
        let configuration = DTLSConfiguration(initialTimeout: 2_000, maximumTimeout: 10_000, maximumRetransmissions: 4)
        var wire = try DTLSWire(clientConfiguration: configuration)
        wire.drop = { toServer, _, _ in toServer }
        wire.handshake()
        var sends: [Int64] = [0]
        while let due = wire.client.nextDeadline, due.milliseconds < 600_000 {
            wire.now = due
            let out = wire.client.advance(to: due)
            if !out.isEmpty { sends.append(due.milliseconds) }
        }
        // 2 s, then 4, 8, and 10 (the cap); at the next timeout (10 s later) it gives up.
        #expect(sends == [0, 2_000, 6_000, 14_000, 24_000], "\(sends)")
        #expect(wire.client.state == .failed(.timedOut))
        #expect(wire.now == Instant(milliseconds: 34_000))
    }
}
