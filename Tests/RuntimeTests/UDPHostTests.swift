import Testing
import CoAP
@testable import Runtime

/// Echoes every datagram; can also be told to wake at an instant and then send "tick".
struct EchoNode: DatagramNode {
    var received: [Datagram] = []
    var wakeAt: Instant?
    var tickPeer: PeerAddress?
    var advancedAt: [Instant] = []

    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        received.append(datagram)
        return [datagram]
    }

    mutating func advance(to now: Instant) -> [Datagram] {
        advancedAt.append(now)
        guard let due = wakeAt, now >= due, let peer = tickPeer else { return [] }
        wakeAt = nil
        return [Datagram(Array("tick".utf8), peer: peer)]
    }

    var nextDeadline: Instant? { wakeAt }
}

@Suite struct UDPHostTests {
    private func makePair() throws -> (EventLoop, UDPHost<EchoNode>, UDPSocket) {
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let host = UDPHost(node: EchoNode(), socket: socket, loop: loop)
        let client = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        return (loop, host, client)
    }

    @Test func echoesWhatAnotherSocketSends() throws {
        let (loop, host, client) = try makePair()
        defer { host.close() }
        var replies: [Datagram] = []
        loop.watch(client.fileDescriptor) { _ in
            while let reply = try? client.receive() { replies.append(reply) }
        }
        var steps = 0
        host.afterStep = { _ in steps += 1 }
        try client.send(Datagram(Array("ping".utf8), peer: host.socket.localAddress))
        #expect(try loop.run(until: { !replies.isEmpty }, timeout: 2000))
        #expect(replies.first?.bytes == Array("ping".utf8))
        #expect(replies.first?.peer == host.socket.localAddress)
        #expect(host.node.received.map(\.peer) == [client.localAddress])
        #expect(steps >= 1)
    }

    @Test func ownerWorkIsSentAndItsDeadlineArmed() throws {
        let (loop, host, client) = try makePair()
        defer { host.close() }
        var replies: [String] = []
        loop.watch(client.fileDescriptor) { _ in
            while let reply = try? client.receive() { replies.append(String(decoding: reply.bytes, as: UTF8.self)) }
        }
        let asked = loop.now
        // As a console command would: change the node, and send what it returns at once.
        host.perform { node, now in
            node.tickPeer = client.localAddress
            node.wakeAt = now + 20
            return [Datagram(Array("hello".utf8), peer: client.localAddress)]
        }
        #expect(try loop.run(until: { replies.count == 2 }, timeout: 2000))
        #expect(replies == ["hello", "tick"])
        let woken = try #require(host.node.advancedAt.first)
        #expect(woken >= asked + 20, "advance(to:) ran before the node's deadline")
        #expect(host.node.nextDeadline == nil)
        #expect(loop.pendingTimerCount == 0)
    }

    @Test func withNodeRearmsAndCancelsTheDeadline() throws {
        let (loop, host, _) = try makePair()
        defer { host.close() }
        host.withNode { node, now in node.wakeAt = now + 10_000 }
        #expect(loop.nextTimerDeadline == host.node.wakeAt)
        let cleared: Bool = host.withNode { node, _ in node.wakeAt = nil; return true }
        #expect(cleared)
        #expect(loop.pendingTimerCount == 0)
    }

    @Test func sendFailureIsReportedAndHostingContinues() throws {
        let (loop, host, client) = try makePair()
        defer { host.close() }
        var errors: [SocketError] = []
        host.onError = { errors.append($0) }
        host.perform { _, _ in [Datagram([1], peer: PeerAddress(host: "::1", port: 9))] }
        #expect(errors.count == 1)
        if case .addressFamilyMismatch? = errors.first {} else { Issue.record("unexpected \(errors)") }
        // Still echoing afterwards.
        var echoed = false
        loop.watch(client.fileDescriptor) { _ in if (try? client.receive()) != nil { echoed = true } }
        try client.send(Datagram([2], peer: host.socket.localAddress))
        #expect(try loop.run(until: { echoed }, timeout: 2000))
    }

    @Test func aFloodIsReadInBatchesUpToTheLimitPerWakeUp() throws {
        let (loop, host, client) = try makePair()
        defer { host.close() }
        host.receiveBatchLimit = DatagramBatch.capacity + 3   // one full batch and part of the next
        let count = 2 * host.receiveBatchLimit + 5
        for i in 0..<count { try client.send(Datagram([UInt8(i)], peer: host.socket.localAddress)) }
        #expect(waitReadable(host.socket))
        try loop.runOnce(maximumWait: 0)
        #expect(host.node.received.count == host.receiveBatchLimit, "one wake-up reads no more than the limit")
        try loop.runOnce(maximumWait: 0)
        try loop.runOnce(maximumWait: 0)
        #expect(host.node.received.map(\.bytes) == (0..<count).map { [UInt8($0)] })
        // Every echo went out, in order, through the batched sends.
        var echoes: [Datagram] = []
        while echoes.count < count {
            let batch = try client.receive(upTo: 64)
            if batch.isEmpty { guard waitReadable(client) else { break } }
            echoes += batch
        }
        #expect(echoes.map(\.bytes) == (0..<count).map { [UInt8($0)] })
        #expect(echoes.allSatisfy { $0.peer == host.socket.localAddress })
    }

    @Test func closeStopsWatchingAndClosesTheSocket() throws {
        let (loop, host, _) = try makePair()
        host.withNode { node, now in node.wakeAt = now + 10_000 }
        #expect(loop.watchCount == 1)
        host.close()
        #expect(loop.watchCount == 0)
        #expect(loop.pendingTimerCount == 0)
        #expect(host.socket.isClosed)
    }
}
