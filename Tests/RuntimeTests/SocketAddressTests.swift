import Glibc
import Testing
import CoAP
@testable import Runtime

@Suite struct SocketAddressTests {
    @Test func numericAddressesRoundTrip() throws {
        for text in ["127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1", "fe80::1:2"] {
            let peer = PeerAddress(host: text, port: 61616)
            #expect(try SocketAddress(peer).peerAddress == peer)
        }
        #expect(try SocketAddress(PeerAddress(host: "[::1]", port: 1)).peerAddress == PeerAddress(host: "::1", port: 1))
    }

    @Test func familiesAndLengths() throws {
        let v4 = try SocketAddress(PeerAddress(host: "10.1.2.3", port: 1))
        #expect(v4.family == AF_INET)
        #expect(Int(v4.length) == MemoryLayout<sockaddr_in>.size)
        let v6 = try SocketAddress(PeerAddress(host: "::1", port: 1))
        #expect(v6.family == AF_INET6)
        #expect(Int(v6.length) == MemoryLayout<sockaddr_in6>.size)
    }

    @Test func mappedIPv4ComesBackPlain() throws {
        let mapped = try SocketAddress(PeerAddress(host: "10.1.2.3", port: 5683)).mappedToIPv6()
        #expect(mapped.family == AF_INET6)
        #expect(mapped.peerAddress == PeerAddress(host: "10.1.2.3", port: 5683))
        // Written out by hand, the same address also comes back plain.
        let literal = try SocketAddress(PeerAddress(host: "::ffff:10.1.2.3", port: 7))
        #expect(literal.peerAddress == PeerAddress(host: "10.1.2.3", port: 7))
    }

    @Test func scopedLinkLocalKeepsItsZone() throws {
        let peer = PeerAddress(host: "fe80::1%lo", port: 5683)
        let address = try SocketAddress(peer)
        #expect(address.family == AF_INET6)
        #expect(address.peerAddress == peer)
    }

    @Test func namesAndGarbageAreRejected() {
        for text in ["localhost", "", "1.2.3", "1.2.3.4.5", "::g", "fe80::1%no-such-interface-zz", "[::1", "300.1.1.1"] {
            #expect(throws: SocketError.invalidAddress(text), "\(text)") {
                try SocketAddress(PeerAddress(host: text, port: 1))
            }
        }
    }
}

@Suite struct LargeDatagramIPv6Tests {
    @Test(.enabled(if: ipv6LoopbackAvailable, "IPv6 loopback ::1 cannot be bound on this machine: skipped"))
    func largestIPv6DatagramArrivesWhole() throws {
        // 65,535 minus the 8-byte UDP header (the IPv6 header is not counted in its length).
        let largest = 65_527
        let a = try UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))
        let b = try UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))
        try a.send(Datagram(pattern(largest), peer: b.localAddress))
        let received = try #require(try receiveOne(b))
        #expect(received.bytes == pattern(largest))
    }
}
