import CoAP
import DTLS
import Testing

/// Who gets a session on the server: only a ClientHello returning this server's cookie for its
/// address, and a new handshake from a peer replaces a stalled one or, once established, the
/// old session.
@Suite struct DTLSServerAdmissionTests {
    /// A real ClientHello without a cookie, to replay from other addresses.
    static func freshHello(at now: Instant) throws -> [UInt8] {
        let other = try DTLSSession(client: DTLSWire.psk)
        return try #require(other.start(now: now).first)
    }

    @Test func spoofedHellosDoNotEvictAnEstablishedSession() throws {
        var wire = try DTLSWire()
        wire.handshake()
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        let hello = try Self.freshHello(at: wire.now)
        for i in 0..<(DTLSServer.sessionLimit + 10) {
            let spoofed = PeerAddress(host: "192.0.2.\(i % 250)", port: UInt16(1000 + i))
            let (answer, _) = wire.server.receive(Datagram(hello, peer: spoofed), now: wire.now + 1)
            #expect(answer.count == 1 && answer[0].bytes[13] == 3, "a HelloVerifyRequest, statelessly")
        }
        #expect(wire.server.isEstablished(DTLSWire.clientAddress), "evicted by spoofed ClientHellos")
        #expect(wire.server.peers == [DTLSWire.clientAddress], "no state for spoofed peers")
        wire.serverSends("still here")
        #expect(wire.clientPlaintext == [Array("still here".utf8)])
    }

    @Test func aCookieIsGoodOnlyForTheAddressItWasGivenTo() throws {
        var wire = try DTLSWire()
        // The client's hello with its cookie, replayed from another address.
        var withCookie: [UInt8] = []
        wire.drop = { toServer, index, _ in toServer && index == 1 }
        wire.handshake()
        withCookie = wire.log.filter(\.toServer)[1].bytes
        let elsewhere = PeerAddress(host: "192.0.2.7", port: 5000)
        let (answer, _) = wire.server.receive(Datagram(withCookie, peer: elsewhere), now: wire.now)
        #expect(answer.first.map { $0.bytes[13] == 3 } == true, "a new cookie, not a ServerHello")
        #expect(!wire.server.hasSession(elsewhere))
    }

    @Test func aSpoofedHelloDoesNotEndAnEstablishedSession() throws {
        var wire = try DTLSWire()
        wire.handshake()
        // A new ClientHello from the client's own address, by someone who never sees the answer.
        let hello = try Self.freshHello(at: wire.now)
        _ = wire.server.receive(Datagram(hello, peer: DTLSWire.clientAddress), now: wire.now)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        wire.advance(to: wire.now + 2 * DTLSServer.handshakeLifetime)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        wire.clientSends("after the spoof")
        #expect(wire.serverPlaintext == [Array("after the spoof".utf8)])
    }

    @Test func aRebootedClientReplacesItsEstablishedSessionOnceItsHandshakeIsDone() throws {
        var wire = try DTLSWire()
        wire.handshake()
        _ = wire.server.takeEvents()
        // Half the new handshake: the old session still holds.
        try wire.replaceClient(resuming: nil)
        wire.drop = { toServer, index, _ in toServer && index >= 2 }
        wire.handshake()
        #expect(wire.client.state == .handshaking)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.server.takeEvents().isEmpty)
        // The client starts over and gets through.
        wire.drop = { _, _, _ in false }
        try wire.replaceClient(resuming: nil)
        wire.handshake()
        #expect(wire.client.state == .established)
        #expect(wire.server.takeEvents().contains { if case .established = $0 { true } else { false } })
        wire.serverSends("to the new session")
        #expect(wire.clientPlaintext == [Array("to the new session".utf8)])
    }

    /// A client that gave up mid-handshake, then starts over from the same address.
    @Test func aNewHandshakeFromAPeerWhoseHandshakeStalled() throws {
        var wire = try DTLSWire()
        // Everything the server sends after the cookie is lost.
        wire.drop = { toServer, index, _ in !toServer && index >= 1 }
        wire.handshake()
        #expect(wire.client.state == .handshaking)
        #expect(wire.server.hasSession(DTLSWire.clientAddress))
        wire.drop = { _, _, _ in false }
        try wire.replaceClient(resuming: nil)
        wire.handshake()
        #expect(wire.client.state == .established, "client: \(wire.client.state)")
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
    }

    /// A retransmitted ClientHello (same random) stays with its handshake.
    @Test func aRetransmittedHelloReachesItsHandshake() throws {
        var wire = try DTLSWire()
        // The server's first flight after the cookie is lost: the client's timer sends its
        // ClientHello (with the cookie, same random) again.
        wire.drop = { toServer, index, _ in !toServer && index == 1 }
        wire.handshake()
        #expect(wire.client.state == .handshaking)
        wire.advance(to: wire.now + 5_000)
        #expect(wire.client.state == .established)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
    }
}
