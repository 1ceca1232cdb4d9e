import CoAP
import DTLS
import Testing

/// `dtls_version` (0 DTLS 1.0, 1 DTLS 1.2, 2 negotiated) and `dtls_mode` 1 (resume the saved
/// session) against a server that takes either version.
@Suite struct DTLSVersionAndResumptionTests {
    @Test(arguments: [(DTLSConfiguration.Version.dtls1_0, "DTLSv1"), (.dtls1_2, "DTLSv1.2"), (.negotiate, "DTLSv1.2")])
    func versionAgainstANegotiatingServer(version: DTLSConfiguration.Version, expected: String) throws {
        var wire = try DTLSWire(clientConfiguration: DTLSConfiguration(version: version))
        wire.handshake()
        #expect(wire.client.state == .established, "\(wire.client.state)")
        #expect(wire.client.protocolVersion == expected)
        wire.clientSends("ping")
        #expect(wire.serverPlaintext == [Array("ping".utf8)])
    }

    @Test func aDTLS10ClientMeetsA12OnlyServer() throws {
        var wire = try DTLSWire(clientConfiguration: DTLSConfiguration(version: .dtls1_0),
                                serverConfiguration: DTLSConfiguration(version: .dtls1_2))
        wire.handshake()
        guard case .failed = wire.client.state else {
            Issue.record("a 1.0-only client got \(wire.client.state) from a 1.2-only server")
            return
        }
        #expect(!wire.server.isEstablished(DTLSWire.clientAddress))
    }

    @Test func aSavedSessionIsResumedWithAnAbbreviatedHandshake() throws {
        var wire = try DTLSWire()
        wire.handshake()
        let saved = try #require(wire.client.savedSession)
        let full = wire.log.count
        _ = wire.server.takeEvents()
        // Deep sleep: the client's state is gone but for the saved session; same address.
        try wire.replaceClient(resuming: saved)
        wire.log = []
        wire.handshake()
        #expect(wire.client.state == .established)
        #expect(wire.client.resumedSession)
        let events = wire.server.takeEvents()
        #expect(events.contains { if case .established(_, _, _, _, resumed: true) = $0 { true } else { false } }, "\(events)")
        #expect(wire.log.count < full, "abbreviated: \(wire.log.count) datagrams against \(full)")
        wire.clientSends("update")
        #expect(wire.serverPlaintext == [Array("update".utf8)])
    }

    @Test func aFreshHandshakeReplacesTheOldSessionOfThatAddress() throws {
        var wire = try DTLSWire()
        wire.handshake()
        try wire.replaceClient(resuming: nil)
        wire.handshake()
        #expect(wire.client.state == .established)
        #expect(wire.client.resumedSession == false)
        wire.serverSends("to the new session")
        #expect(wire.clientPlaintext == [Array("to the new session".utf8)])
    }
}
