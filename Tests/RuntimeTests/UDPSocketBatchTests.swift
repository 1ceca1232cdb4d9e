import Glibc
import Testing
import CoAP
@testable import Runtime

/// recvmmsg/sendmmsg on real loopback sockets: every datagram with its own peer and bytes,
/// batches cut where they must be, and failures reported one datagram at a time.
@Suite struct UDPSocketBatchTests {
    private func bind() throws -> UDPSocket { try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0)) }

    /// Batches until `count` datagrams arrived (loopback queues them on send; the wait is a bound).
    private func receiveAll(_ socket: UDPSocket, count: Int, limit: Int = 64) throws -> [Datagram] {
        var all: [Datagram] = []
        while all.count < count {
            let batch = try socket.receive(upTo: limit)
            if batch.isEmpty { guard waitReadable(socket) else { break } }
            all += batch
        }
        return all
    }

    @Test func everyDatagramComesWithItsOwnSender() throws {
        let server = try bind()
        let senders = try (0..<3).map { _ in try bind() }
        for round in 0..<8 {
            for (k, s) in senders.enumerated() { try s.send(Datagram([UInt8(k), UInt8(round)], peer: server.localAddress)) }
        }
        let received = try receiveAll(server, count: 24)
        #expect(received.count == 24)
        for (k, s) in senders.enumerated() {
            let mine = received.filter { $0.peer == s.localAddress }
            #expect(mine.map(\.bytes) == (0..<8).map { [UInt8(k), UInt8($0)] }, "sender \(k), in its order")
        }
        #expect(try server.receive(upTo: 64).isEmpty)
    }

    @Test func aPartialBatchTakesTheOldestAndLeavesTheRest() throws {
        let server = try bind(), client = try bind()
        for i in 0..<20 { try client.send(Datagram([UInt8(i)], peer: server.localAddress)) }
        #expect(waitReadable(server))
        #expect(try server.receive(upTo: 5).map(\.bytes) == (0..<5).map { [UInt8($0)] })
        // At most a batch's capacity per call, however many are asked for.
        let second = try server.receive(upTo: 1000)
        #expect(second.count == min(15, DatagramBatch.capacity))
        #expect(second.first?.bytes == [5])
        let rest = try receiveAll(server, count: 15 - second.count)
        #expect((second + rest).map(\.bytes) == (5..<20).map { [UInt8($0)] })
        #expect(try server.receive(upTo: 1000).isEmpty, "EAGAIN is an empty batch")
        #expect(try server.receive() == nil)
    }

    @Test func nothingWaitingOrNothingAskedIsEmpty() throws {
        let server = try bind(), client = try bind()
        #expect(try server.receive(upTo: 16).isEmpty)
        try client.send(Datagram([1], peer: server.localAddress))
        #expect(waitReadable(server))
        #expect(try server.receive(upTo: 0).isEmpty)
        #expect(try server.receive(upTo: 16).map(\.bytes) == [[1]], "a limit of 0 left it waiting")
    }

    @Test func theLargestDatagramArrivesWholeInABatch() throws {
        let server = try bind(), client = try bind()
        let big = pattern(65_507)
        try client.send(Datagram([7], peer: server.localAddress))
        try client.send(Datagram(big, peer: server.localAddress))
        try client.send(Datagram([], peer: server.localAddress))
        let received = try receiveAll(server, count: 3)
        #expect(received.map(\.bytes.count) == [1, 65_507, 0])
        #expect(received.count == 3 && received[1].bytes == big)
    }

    @Test func aSendBatchLargerThanOneCallReachesEveryPeer() throws {
        let sender = try bind()
        let a = try bind(), b = try bind()
        let count = 3 * DatagramBatch.capacity + 5
        let datagrams = (0..<count).map { i in
            Datagram(pattern(1 + i * 7).reversed(), peer: i % 2 == 0 ? a.localAddress : b.localAddress)
        }
        #expect(sender.send(datagrams).isEmpty)
        let atA = try receiveAll(a, count: (count + 1) / 2)
        let atB = try receiveAll(b, count: count / 2)
        #expect(atA.map(\.bytes) == datagrams.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.bytes))
        #expect(atB.map(\.bytes) == datagrams.enumerated().filter { $0.offset % 2 == 1 }.map(\.element.bytes))
        #expect(Set(atA.map(\.peer) + atB.map(\.peer)) == [sender.localAddress])
    }

    @Test func aFailingDatagramFailsAloneAndTheOthersStillGo() throws {
        let sender = try bind(), receiver = try bind()
        let to = receiver.localAddress
        // Unaddressable (refused before the call), another family (likewise), and a broadcast
        // without SO_BROADCAST, which the kernel refuses in the middle of a sendmmsg.
        let datagrams = [
            Datagram([0], peer: to), Datagram([1], peer: PeerAddress(host: "not an address", port: 5683)),
            Datagram([2], peer: to), Datagram([3], peer: PeerAddress(host: "::1", port: 5683)),
            Datagram([4], peer: to), Datagram([5], peer: PeerAddress(host: "255.255.255.255", port: to.port)),
            Datagram([6], peer: to),
        ]
        let failures = sender.send(datagrams)
        #expect(failures.map(\.index) == [1, 3, 5])
        #expect(failures[0].error == .invalidAddress("not an address"))
        #expect(failures[1].error == .addressFamilyMismatch(socket: sender.localAddress, peer: datagrams[3].peer))
        guard case .system(call: "sendmmsg", _, _) = failures[2].error else {
            Issue.record("the kernel's refusal should name sendmmsg: \(failures[2].error)")
            return
        }
        #expect(try receiveAll(receiver, count: 4).map(\.bytes) == [[0], [2], [4], [6]])
    }

    @Test func aClosedSocketFailsEverythingAndNothingTraps() throws {
        let socket = try bind()
        socket.close()
        #expect(throws: SocketError.closed) { try socket.receive(upTo: 8) }
        let failures = socket.send([Datagram([1], peer: socket.localAddress), Datagram([2], peer: socket.localAddress)])
        #expect(failures.map(\.index) == [0, 1] && failures.allSatisfy { $0.error == .closed })
        #expect(socket.send([]).isEmpty)
    }

    @Test(.enabled(if: ipv6LoopbackAvailable, "IPv6 is off on this machine: dual-stack test skipped"))
    func aDualStackBatchMapsAndUnmapsIPv4Peers() throws {
        let server = try UDPSocket(bindingTo: PeerAddress(host: "::", port: 0))
        let v4 = try bind()
        let v6 = try UDPSocket(bindingTo: PeerAddress(host: "::1", port: 0))
        try v4.send(Datagram([4], peer: PeerAddress(host: "127.0.0.1", port: server.localAddress.port)))
        try v6.send(Datagram([6], peer: PeerAddress(host: "::1", port: server.localAddress.port)))
        let received = try receiveAll(server, count: 2)
        #expect(Set(received.map(\.peer)) == [v4.localAddress, v6.localAddress])
        #expect(server.send(received.map { Datagram($0.bytes + [0], peer: $0.peer) }).isEmpty)
        #expect(try receiveOne(v4)?.bytes == [4, 0])
        #expect(try receiveOne(v6)?.bytes == [6, 0])
    }
}
