import CoAP
import DTLS
import Testing

/// A client session against a `DTLSServer`, in memory, in virtual time.
@Suite struct DTLSSessionTests {
    @Test func handshakeThenDataBothWays() throws {
        var wire = try DTLSWire()
        wire.handshake()
        #expect(wire.client.state == .established)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.client.protocolVersion == "DTLSv1.2")
        #expect(wire.client.cipher == "PSK-AES128-CCM8", "LwM2M's mandatory suite comes first")
        #expect(wire.client.resumedSession == false)
        let events = wire.server.takeEvents()
        #expect(events == [.established(DTLSWire.clientAddress, identity: "bc260-client", version: "DTLSv1.2",
                                        cipher: "PSK-AES128-CCM8", resumed: false)])
        wire.clientSends("POST /rd?ep=bc260")
        #expect(wire.serverPlaintext == [Array("POST /rd?ep=bc260".utf8)])
        wire.serverSends("2.01 Created")
        #expect(wire.clientPlaintext == [Array("2.01 Created".utf8)])
        // Sealed: neither text crossed the wire in clear.
        let wireBytes = wire.log.flatMap(\.bytes)
        #expect(!wireBytes.contains(subsequence: Array("POST /rd".utf8)))
        #expect(!wireBytes.contains(subsequence: Array("Created".utf8)))
        #expect(!wireBytes.contains(subsequence: DTLSWire.psk.key), "the key never crosses")
        #expect(wire.client.nextDeadline == nil && wire.server.nextDeadline == nil, "no timer once done")
    }

    @Test func theFirstAnswerToANewPeerIsACookie() throws {
        var wire = try DTLSWire()
        let hello = wire.client.start(now: .zero)
        let (answer, plain) = wire.server.receive(Datagram(try #require(hello.first), peer: DTLSWire.clientAddress), now: .zero)
        #expect(plain.isEmpty)
        // Handshake record, HelloVerifyRequest (3).
        let first = try #require(answer.first?.bytes)
        #expect(first[0] == 22 && first[13] == 3, "HelloVerifyRequest: \(first.prefix(16))")
        #expect(wire.server.peers.isEmpty && !wire.server.hasSession(DTLSWire.clientAddress),
                "nothing is kept for a peer before it returns the cookie")
        #expect(wire.server.nextDeadline == nil, "no timer for a cookie")
        // The ClientHello with the cookie opens the session.
        let again = wire.client.receive(first, now: .zero).datagrams
        let (flight, _) = wire.server.receive(Datagram(try #require(again.first), peer: DTLSWire.clientAddress), now: .zero)
        #expect(flight.first.map { $0.bytes[13] == 2 } == true, "ServerHello")
        #expect(wire.server.peers == [DTLSWire.clientAddress])
        // Nothing more from the client: the handshake is forgotten after its lifetime.
        while let due = wire.server.nextDeadline, due < Instant(milliseconds: DTLSServer.handshakeLifetime) {
            _ = wire.server.advance(to: due)
        }
        _ = wire.server.advance(to: Instant(milliseconds: DTLSServer.handshakeLifetime))
        #expect(wire.server.peers.isEmpty, "a handshake gone quiet is forgotten")
        #expect(wire.server.nextDeadline == nil)
    }

    @Test func plaintextSentDuringTheHandshakeWaitsAndGoesOnce() throws {
        var wire = try DTLSWire()
        // The first send starts the handshake; a copy of it (a CoAP retransmission) is not sent twice.
        wire.fromClient(wire.client.send(Array("one".utf8), now: .zero))
        wire.fromClient(wire.client.send(Array("one".utf8), now: .zero))
        wire.fromClient(wire.client.send(Array("two".utf8), now: .zero))
        wire.deliver()
        #expect(wire.client.state == .established)
        #expect(wire.serverPlaintext == [Array("one".utf8), Array("two".utf8)])
    }

    @Test func aWrongKeyFailsCleanly() throws {
        var wire = try DTLSWire(client: PreSharedKey(identity: "bc260-client", text: "not-the-key"),
                                clientConfiguration: DTLSConfiguration(maximumRetransmissions: 2))
        wire.fromClient(wire.client.send(Array("secret data".utf8), now: .zero))
        wire.deliver()
        wire.advance(to: Instant(milliseconds: 120_000))
        guard case .failed(let failure) = wire.client.state else {
            Issue.record("client: \(wire.client.state)")
            return
        }
        #expect(failure == .timedOut, "DTLS drops what it cannot decrypt: the server never answers the Finished")
        #expect(!failure.description.contains("not-the-key"))
        #expect(wire.serverPlaintext.isEmpty && wire.clientPlaintext.isEmpty)
        #expect(!wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.client.nextDeadline == nil)
        // Afterwards nothing goes in or out.
        #expect(wire.client.send(Array("more".utf8), now: wire.now).isEmpty)
        #expect(wire.client.receive([22, 0xFE, 0xFD], now: wire.now) == DTLSSession.Output())
    }

    @Test func anUnknownIdentityIsRefusedWithAnAlert() throws {
        var wire = try DTLSWire(client: PreSharedKey(identity: "stranger", text: "secret-key-0123"))
        wire.handshake()
        #expect(wire.client.state == .failed(.alertReceived("unknown PSK identity")), "\(wire.client.state)")
        let events = wire.server.takeEvents()
        #expect(events == [.failed(DTLSWire.clientAddress, .alertSent("unknown PSK identity"), identity: nil)], "\(events)")
        #expect(wire.server.peers.isEmpty)
    }

    @Test func closeNotifyEndsTheServersSessionWithThatPeer() throws {
        var wire = try DTLSWire()
        wire.handshake()
        _ = wire.server.takeEvents()
        wire.clientSends("DELETE /rd/1")
        let goodbye = wire.client.close(now: wire.now)
        #expect(wire.client.state == .closed)
        // One alert record (21), sealed under the session's keys: epoch 1, not in clear.
        let alert = try #require(goodbye.first)
        #expect(goodbye.count == 1 && alert[0] == 21 && alert[3] == 0 && alert[4] == 1, "\(goodbye)")
        #expect(wire.client.close(now: wire.now).isEmpty, "closed once")
        wire.fromClient(goodbye)
        wire.deliver()
        #expect(wire.server.takeEvents() == [.closed(DTLSWire.clientAddress)])
        #expect(!wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.server.peers.isEmpty && wire.server.nextDeadline == nil)
        #expect(wire.server.send(Array("late".utf8), to: DTLSWire.clientAddress, now: wire.now).isEmpty,
                "nothing goes to a peer that closed")
        // The same address handshakes afresh.
        try wire.replaceClient(resuming: nil)
        wire.handshake()
        #expect(wire.client.state == .established && wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.server.takeEvents().contains { if case .established(_, _, _, _, resumed: false) = $0 { true } else { false } })
    }

    @Test func aCloseNotifyInClearDoesNotEndASession() throws {
        var wire = try DTLSWire()
        wire.handshake()
        _ = wire.server.takeEvents()
        // Alert record at epoch 0, sequence 9, two bytes: warning (1), close_notify (0). Anyone
        // on the path could send it: DTLS drops it, as it drops every record it cannot authenticate.
        let forged: [UInt8] = [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 1, 0]
        let (answer, plain) = wire.server.receive(Datagram(forged, peer: DTLSWire.clientAddress), now: wire.now)
        #expect(answer.isEmpty && plain.isEmpty)
        #expect(wire.server.takeEvents().isEmpty)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        #expect(wire.client.receive(forged, now: wire.now) == DTLSSession.Output())
        #expect(wire.client.state == .established)
        wire.clientSends("still here")
        #expect(wire.serverPlaintext == [Array("still here".utf8)])
    }

    @Test func theKeyIsNeverPrinted() {
        let psk = PreSharedKey(identity: "urn:imei:867724030023557", text: "Zx9-secret")
        #expect(psk.description == "urn:imei:867724030023557 (key of 10 bytes)")
        #expect(!"\(PreSharedKeyStore([psk]))".contains("Zx9"))
        #expect(PreSharedKey(parsing: "urn:imei:867724030023557:Zx9-secret") == psk, "split at the last colon")
        #expect(PreSharedKey(parsing: "no-key:") == nil && PreSharedKey(parsing: ":key") == nil && PreSharedKey(parsing: "x") == nil)
    }
}

@Suite struct DTLSServerCloseAllTests {
    @Test func closeAllReportsEachPeerAndAPeerThatComesBackIsAnnounced() throws {
        var wire = try DTLSWire()
        wire.handshake()
        _ = wire.server.takeEvents()
        let farewell = wire.server.closeAll(now: wire.now)
        #expect(farewell.count == 1 && farewell[0].peer == DTLSWire.clientAddress, "close_notify")
        #expect(wire.server.takeEvents() == [.closed(DTLSWire.clientAddress)])
        #expect(wire.server.peers.isEmpty)
        try wire.replaceClient(resuming: nil)
        wire.handshake()
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        let events = wire.server.takeEvents()
        #expect(events.contains { if case .established = $0 { true } else { false } }, "no .established event: \(events)")
    }
}
