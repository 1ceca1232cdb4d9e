import Glibc
import Testing
import CoAP
@testable import Runtime

@Suite struct UDPSocketTests {
    @Test func ipv4LoopbackRoundTrip() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let b = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        try a.send(Datagram([1, 2, 3], peer: b.localAddress))
        let atB = try #require(try receiveOne(b))
        #expect(atB.bytes == [1, 2, 3])
        #expect(atB.peer == a.localAddress)

        try b.send(Datagram([9, 8], peer: atB.peer))
        let atA = try #require(try receiveOne(a))
        #expect(atA.bytes == [9, 8])
        #expect(atA.peer == b.localAddress)
    }

    @Test(.enabled(if: ipv6LoopbackAvailable, "IPv6 loopback ::1 cannot be bound on this machine: skipped"))
    func ipv6LoopbackRoundTrip() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))
        let b = try UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))
        try a.send(Datagram(Array("hello".utf8), peer: b.localAddress))
        let atB = try #require(try receiveOne(b))
        #expect(atB.bytes == Array("hello".utf8))
        #expect(atB.peer == PeerAddress(host: "::1", port: a.localAddress.port))
        try b.send(Datagram([0], peer: atB.peer))
        #expect(try receiveOne(a)?.bytes == [0])
    }

    @Test(.enabled(if: ipv6LoopbackAvailable, "IPv6 is off on this machine: dual-stack test skipped"))
    func dualStackReportsIPv4PeersUnmapped() throws {
        let server = try UDPSocket(bindingTo: PeerAddress(host: "::", port: 0))
        let client = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        try client.send(Datagram([7], peer: PeerAddress(host: "127.0.0.1", port: server.localAddress.port)))
        let received = try #require(try receiveOne(server))
        #expect(received.peer == client.localAddress, "::ffff:127.0.0.1 must come back as 127.0.0.1")
        // And answering the plain IPv4 peer from the IPv6 socket maps it on the way out.
        try server.send(Datagram([8], peer: received.peer))
        #expect(try receiveOne(client)?.bytes == [8])
    }

    @Test func ephemeralPortIsReported() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let b = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        #expect(a.localAddress.port != 0)
        #expect(b.localAddress.port != 0)
        #expect(a.localAddress.port != b.localAddress.port)
        #expect(a.localAddress.host == "127.0.0.1")
    }

    @Test func receiveWithNothingWaitingReturnsNil() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        #expect(try a.receive() == nil)
    }

    @Test func largestIPv4DatagramArrivesWhole() throws {
        // 65,535 minus the 20-byte IP and 8-byte UDP headers.
        let largest = 65_507
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let b = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        try a.send(Datagram(pattern(largest), peer: b.localAddress))
        let received = try #require(try receiveOne(b))
        #expect(received.bytes.count == largest)
        #expect(received.bytes == pattern(largest))
    }

    @Test func oversizedDatagramIsAnErrorNotATrap() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        #expect(throws: SocketError.system(call: "sendto", subject: "127.0.0.1:9", errno: EMSGSIZE)) {
            try a.send(Datagram(pattern(65_508), peer: PeerAddress(host: "127.0.0.1", port: 9)))
        }
    }

    @Test func bindingAnAddressThisHostDoesNotHaveFails() throws {
        // 203.0.113.0/24 is TEST-NET-3: never assigned to a real interface.
        let address = PeerAddress(host: "203.0.113.7", port: 0)
        let error = try #require(throws: SocketError.self) { try UDPSocket(bindingTo: address) }
        #expect(error == .system(call: "bind", subject: "203.0.113.7:0", errno: EADDRNOTAVAIL))
        #expect(error.description == "bind 203.0.113.7:0: Cannot assign requested address (errno \(EADDRNOTAVAIL))")
    }

    @Test func bindingANameOrGarbageIsRejectedBeforeAnySystemCall() {
        #expect(throws: SocketError.invalidAddress("localhost")) {
            try UDPSocket(bindingTo: PeerAddress(host: "localhost", port: 0))
        }
        #expect(throws: SocketError.invalidAddress("1.2.3.4.5")) {
            try UDPSocket(bindingTo: PeerAddress(host: "1.2.3.4.5", port: 0))
        }
    }

    @Test func bindingAPortInUseFails() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let error = try #require(throws: SocketError.self) { try UDPSocket(bindingTo: a.localAddress) }
        #expect(error.errno == EADDRINUSE)
        #expect(error.description.contains("Address already in use"))
    }

    @Test func sendingToIPv6FromIPv4SocketIsAMismatch() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let peer = PeerAddress(host: "::1", port: 9)
        #expect(throws: SocketError.addressFamilyMismatch(socket: a.localAddress, peer: peer)) {
            try a.send(Datagram([1], peer: peer))
        }
    }

    @Test func closedSocketReportsClosed() throws {
        let a = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        a.close()
        a.close()
        #expect(a.isClosed)
        #expect(throws: SocketError.closed) { try a.receive() }
        #expect(throws: SocketError.closed) { try a.send(Datagram([1], peer: PeerAddress(host: "127.0.0.1", port: 9))) }
    }
}

@Suite struct ResolutionTests {
    @Test func localhostResolvesToLoopback() throws {
        let found = try PeerAddress.resolve("localhost", port: 4321)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.port == 4321 })
        #expect(found.allSatisfy { $0.host == "127.0.0.1" || $0.host == "::1" }, "\(found)")
        #expect(Set(found).count == found.count)
        // What comes back is numeric, so a socket can use it directly.
        if let v4 = found.first(where: { $0.host == "127.0.0.1" }) {
            let socket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
            try socket.send(Datagram([1], peer: v4))
        }
    }

    @Test func numericAddressesPassStraightThrough() throws {
        #expect(try PeerAddress.resolve("192.0.2.1", port: 5) == [PeerAddress(host: "192.0.2.1", port: 5)])
        #expect(try PeerAddress.resolve("2001:db8::1", port: 6) == [PeerAddress(host: "2001:db8::1", port: 6)])
        #expect(try PeerAddress.resolve("[::1]", port: 7) == [PeerAddress(host: "::1", port: 7)])
    }

    @Test func unknownNameIsAResolutionError() {
        // `.invalid` is reserved (RFC 6761): resolvers answer it negatively at once.
        let error = #expect(throws: SocketError.self) { try PeerAddress.resolve("no-such-host.invalid", port: 1) }
        guard case .resolution(let host, _)? = error else {
            Issue.record("expected a resolution error, got \(String(describing: error))")
            return
        }
        #expect(host == "no-such-host.invalid")
        #expect(error?.description.hasPrefix("cannot resolve 'no-such-host.invalid': ") == true)
    }
}

@Suite struct UDPSocketAddressFormTests {
    @Test func localAddressIsCanonical() throws {
        let wildcard = try UDPSocket(bindingTo: PeerAddress(host: "0.0.0.0", port: 0))
        #expect(wildcard.localAddress.host == "0.0.0.0")
        let bracketed = try UDPSocket(bindingTo: PeerAddress(host: "[127.0.0.1]", port: 0))
        #expect(bracketed.localAddress.host == "127.0.0.1")
    }
}
