import CoAP
import DTLS
import Testing

/// Garbled, cut and random datagrams at every stage never crash either side, and a session
/// that is up stays up.
@Suite struct DTLSGarbageTests {
    /// Deterministic bytes for the run.
    struct Noise {
        var generator: SplitMix64
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        mutating func below(_ n: Int) -> Int { Int(generator.next() % UInt64(max(1, n))) }
    }

    static func mutations(of real: [[UInt8]], noise: inout Noise) -> [[UInt8]] {
        var out: [[UInt8]] = [[], [22], [22, 0xFE, 0xFD], noise.bytes(13), noise.bytes(1_500), noise.bytes(40_000)]
        for d in real where !d.isEmpty {
            out.append(Array(d.prefix(noise.below(d.count))))            // cut
            var flipped = d
            flipped[noise.below(d.count)] ^= 0x5A                         // one byte changed
            out.append(flipped)
            var header = d
            for i in 0..<min(13, header.count) { header[i] = UInt8(truncatingIfNeeded: noise.generator.next()) }
            out.append(header)                                            // record header garbled
            out.append(d + d)                                             // two records glued
        }
        return out
    }

    @Test func garbageBeforeDuringAndAfterTheHandshake() throws {
        var noise = Noise(generator: SplitMix64(seed: 0xD715))
        var wire = try DTLSWire()
        // Before: the server drops what is not a ClientHello, and keeps nothing for it.
        for g in Self.mutations(of: [], noise: &noise) {
            _ = wire.server.receive(Datagram(g, peer: PeerAddress(host: "10.9.9.9", port: 1)), now: .zero)
        }
        #expect(wire.server.peers.isEmpty)
        // During: every flight is followed by mutations of itself, to both sides.
        wire.handshake()
        var seen = wire.log.map(\.bytes)
        for g in Self.mutations(of: seen, noise: &noise) {
            _ = wire.client.receive(g, now: wire.now)
            _ = wire.server.receive(Datagram(g, peer: DTLSWire.clientAddress), now: wire.now)
        }
        #expect(wire.client.state == .established)
        #expect(wire.server.isEstablished(DTLSWire.clientAddress))
        // After: application records cut and changed are dropped; the session goes on.
        wire.clientSends("first")
        wire.serverSends("second")
        seen = wire.log.suffix(2).map(\.bytes)
        var delivered = 0
        for g in Self.mutations(of: seen, noise: &noise) {
            delivered += wire.client.receive(g, now: wire.now).plaintext.count
            delivered += wire.server.receive(Datagram(g, peer: DTLSWire.clientAddress), now: wire.now).plaintext.count
        }
        // Only the glued copies (a replay of records already seen) could carry anything; replays are dropped.
        #expect(delivered == 0)
        wire.clientSends("still up")
        #expect(wire.serverPlaintext.last == Array("still up".utf8))
        #expect(wire.client.state == .established)
    }

    @Test func randomDatagramsToAFreshClient() throws {
        var noise = Noise(generator: SplitMix64(seed: 0xBAD))
        let client = try DTLSSession(client: DTLSWire.psk)
        _ = client.start(now: .zero)
        for i in 0..<300 {
            var d = noise.bytes(noise.below(200))
            if i % 3 == 0, d.count > 13 { d[0] = 22; d[1] = 0xFE; d[2] = 0xFD }
            _ = client.receive(d, now: Instant(milliseconds: Int64(i)))
        }
        if case .failed = client.state { } else { #expect(client.state == .handshaking) }
    }
}
