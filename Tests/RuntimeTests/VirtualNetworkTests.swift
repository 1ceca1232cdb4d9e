import Testing
import CoAP
@testable import Runtime

/// Keeps what arrives; sends only what a test asks it to.
struct RecorderNode: DatagramNode {
    var received: [(at: Instant, datagram: Datagram)] = []
    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        received.append((now, datagram))
        return []
    }
    mutating func advance(to now: Instant) -> [Datagram] { [] }
    var nextDeadline: Instant? { nil }
}

/// Like an LwM2M client with lifetime 300 s: sends "update" every `period` ms to `server`.
struct PeriodicNode: DatagramNode {
    var server: PeerAddress
    var period: Int64
    var due: Instant?
    var sent = 0
    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] { [] }
    mutating func advance(to now: Instant) -> [Datagram] {
        guard let due, now >= due else { return [] }
        self.due = due + period
        sent += 1
        return [Datagram(Array("update \(sent)".utf8), peer: server)]
    }
    var nextDeadline: Instant? { due }
}

/// A broken node whose deadline never moves on: the network must not spin forever.
struct StuckNode: DatagramNode {
    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] { [] }
    mutating func advance(to now: Instant) -> [Datagram] { [] }
    var nextDeadline: Instant? { .zero }
}

private let a = PeerAddress(host: "client", port: 56830)
private let b = PeerAddress(host: "server", port: 5683)

@Suite struct VirtualNetworkTests {
    @Test func deliveryTimesFollowTheLinkDelayExactly() {
        let network = VirtualNetwork()
        network.setLink(from: a, to: b, LinkConditions(delay: 40))
        network.setLink(from: b, to: a, LinkConditions(delay: 15))
        let client = network.add(RecorderNode(), at: a)
        let server = network.add(EchoNode(), at: b)
        #expect(network.now == .zero)
        client.perform { _, _ in [Datagram([0x42], peer: b)] }
        #expect(network.runUntilIdle(limit: .seconds(10)))
        #expect(network.now == Instant(milliseconds: 55), "clock stops at the last event")
        #expect(server.node.received == [Datagram([0x42], peer: a)])
        #expect(server.arrivals.map(\.at) == [Instant(milliseconds: 40)])
        #expect(client.node.received.map(\.at) == [Instant(milliseconds: 55)])
        #expect(client.node.received.first?.datagram == Datagram([0x42], peer: b))
        #expect(network.log == [
            CapturedDatagram(sequence: 0, sentAt: .zero, from: a, to: b, bytes: [0x42],
                             fate: .delivered(at: Instant(milliseconds: 40))),
            CapturedDatagram(sequence: 1, sentAt: Instant(milliseconds: 40), from: b, to: a, bytes: [0x42],
                             fate: .delivered(at: Instant(milliseconds: 55))),
        ])
    }

    @Test func inFlightDatagramIsLoggedAsSuch() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 100))
        let client = network.add(RecorderNode(), at: a)
        network.add(RecorderNode(), at: b)
        client.perform { _, _ in [Datagram([1], peer: b)] }
        network.run(until: Instant(milliseconds: 99))
        #expect(network.log.map(\.fate) == [.inFlight(arrivesAt: Instant(milliseconds: 100))])
        network.run(until: Instant(milliseconds: 100))
        #expect(network.log.map(\.fate) == [.delivered(at: Instant(milliseconds: 100))])
    }

    @Test func deadlineIsHonouredToTheMillisecond() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 30))
        let updater = network.add(PeriodicNode(server: b, period: 250_000, due: .seconds(250)), at: a)
        let server = network.add(RecorderNode(), at: b)

        network.run(until: Instant(milliseconds: 249_999))
        #expect(updater.wakeTimes.isEmpty, "woken before 250 s")
        #expect(network.now == Instant(milliseconds: 249_999))
        #expect(network.log.isEmpty)

        network.run(until: .seconds(250))
        #expect(updater.wakeTimes == [Instant(milliseconds: 250_000)])
        #expect(network.log.map(\.sentAt) == [Instant(milliseconds: 250_000)])

        network.run(until: .seconds(600))
        #expect(updater.wakeTimes == [.seconds(250), .seconds(500)])
        #expect(server.node.received.map(\.at) == [Instant(milliseconds: 250_030), Instant(milliseconds: 500_030)])
        #expect(server.node.received.map { String(decoding: $0.datagram.bytes, as: UTF8.self) } == ["update 1", "update 2"])
        #expect(network.nextEventTime == .seconds(750))
    }

    @Test func testCanReachIntoANodeBetweenSteps() {
        let network = VirtualNetwork()
        let updater = network.add(PeriodicNode(server: b, period: 1000, due: nil), at: a)
        network.add(RecorderNode(), at: b)
        #expect(network.isIdle)
        updater.node.due = Instant(milliseconds: 700)    // direct assignment is honoured too
        #expect(network.nextEventTime == Instant(milliseconds: 700))
        network.run(until: .seconds(2))
        #expect(updater.node.sent == 2)
        #expect(updater.withNode { node, now in "\(node.sent)@\(now.milliseconds)" } == "2@2000")
    }

    @Test func scheduledActionRunsAtItsVirtualTime() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 5))
        let client = network.add(RecorderNode(), at: a)
        network.add(EchoNode(), at: b)
        client.schedule(at: Instant(milliseconds: 1234)) { _, now in [Datagram(Array("cmd".utf8), peer: b)] }
        var marks: [Instant] = []
        network.schedule(at: Instant(milliseconds: 1236)) { marks.append(network.now) }
        #expect(network.runUntilIdle(limit: .seconds(5)))
        #expect(marks == [Instant(milliseconds: 1236)])
        #expect(network.log.map(\.sentAt) == [Instant(milliseconds: 1234), Instant(milliseconds: 1239)])
        #expect(client.node.received.map(\.at) == [Instant(milliseconds: 1244)])
    }

    @Test func sameInstantOrderIsArrivalsThenDeadlinesInAddOrder() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 100))
        let outside = PeerAddress(host: "outside", port: 2)
        let actor = PeerAddress(host: "action", port: 3)
        let secondAddress = PeerAddress(host: "second", port: 1)
        let first = network.add(PeriodicNode(server: b, period: 10_000, due: Instant(milliseconds: 100)), at: a)
        let second = network.add(PeriodicNode(server: b, period: 10_000, due: Instant(milliseconds: 100)), at: secondAddress)
        let server = network.add(EchoNode(), at: b)
        network.send([Datagram([9], peer: b)], from: outside)
        network.schedule(at: Instant(milliseconds: 100)) {
            network.send([Datagram([8], peer: b)], from: actor)
        }
        network.run(until: Instant(milliseconds: 100))
        #expect(server.arrivals.map(\.at) == [Instant(milliseconds: 100)])
        #expect(first.wakeTimes == [Instant(milliseconds: 100)])
        #expect(second.wakeTimes == [Instant(milliseconds: 100)])
        // Everything below was sent at 100 except the first: the log's send order shows the
        // order of handling: the arrival (echoed at once), the action, then the deadlines in
        // the order the nodes were added.
        #expect(network.log.map(\.from) == [outside, b, actor, a, secondAddress])
        #expect(network.log.dropFirst().allSatisfy { $0.sentAt == Instant(milliseconds: 100) })
    }

    @Test func seededLossIsReproducible() {
        func drops(seed: UInt64) -> [Bool] {
            let network = VirtualNetwork(seed: seed, defaultLink: LinkConditions(delay: 10, lossProbability: 0.3))
            let client = network.add(RecorderNode(), at: a)
            let server = network.add(RecorderNode(), at: b)
            for i in 0..<200 { client.perform { _, _ in [Datagram([UInt8(i)], peer: b)] } }
            network.runUntilIdle(limit: .seconds(1))
            let dropped = network.log.map(\.isDropped)
            #expect(network.log.filter(\.isDropped).allSatisfy { $0.fate == .dropped(.loss) })
            #expect(server.node.received.count == dropped.filter { !$0 }.count)
            return dropped
        }
        let first = drops(seed: 7)
        #expect(drops(seed: 7) == first)
        #expect(drops(seed: 8) != first)
        let lost = first.filter { $0 }.count
        #expect((30...90).contains(lost), "0.3 of 200 should lose about 60, lost \(lost)")
    }

    @Test func jitterStaysInItsWindowAndReplays() {
        func arrivals(seed: UInt64) -> [Int64] {
            let network = VirtualNetwork(seed: seed)
            network.setLink(between: a, and: b, LinkConditions(delay: 50, jitter: 20))
            let client = network.add(RecorderNode(), at: a)
            network.add(RecorderNode(), at: b)
            for _ in 0..<100 { client.perform { _, _ in [Datagram([0], peer: b)] } }
            network.runUntilIdle(limit: .seconds(1))
            return network.log.compactMap { $0.deliveredAt?.milliseconds }
        }
        let delays = arrivals(seed: 1)
        #expect(delays.count == 100)
        #expect(delays.allSatisfy { (50...70).contains($0) })
        #expect(Set(delays).count > 5, "jitter should spread arrivals")
        #expect(delays.contains(50) && delays.contains(70), "both ends of 0...jitter are drawn")
        #expect(arrivals(seed: 1) == delays)
    }

    @Test func perLinkConditionsOverrideTheDefault() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 1))
        let c = PeerAddress(host: "other", port: 3)
        network.setLink(from: a, to: b, LinkConditions(lossProbability: 1))
        #expect(network.link(from: a, to: b).lossProbability == 1)
        #expect(network.link(from: b, to: a) == LinkConditions(delay: 1))
        let client = network.add(RecorderNode(), at: a)
        network.add(RecorderNode(), at: b)
        network.add(RecorderNode(), at: c)
        client.perform { _, _ in [Datagram([1], peer: b), Datagram([2], peer: c)] }
        network.runUntilIdle(limit: .seconds(1))
        #expect(network.log.map(\.fate) == [.dropped(.loss), .delivered(at: Instant(milliseconds: 1))])
        network.setLink(from: a, to: b, nil)
        #expect(network.link(from: a, to: b) == LinkConditions(delay: 1))
    }

    @Test func dropFilterAndMissingNodeAreLogged() {
        let network = VirtualNetwork()
        let client = network.add(RecorderNode(), at: a)
        let server = network.add(RecorderNode(), at: b)
        network.dropFilter = { $0.sequence == 0 }   // lose exactly the first datagram
        client.perform { _, _ in
            [Datagram([1], peer: b), Datagram([2], peer: b), Datagram([3], peer: PeerAddress(host: "nobody", port: 1))]
        }
        network.runUntilIdle(limit: .seconds(1))
        #expect(network.log.map(\.fate) == [.dropped(.filter), .delivered(at: .zero), .dropped(.noRoute)])
        #expect(network.log.map(\.bytes) == [[1], [2], [3]])
        #expect(server.node.received.map(\.datagram.bytes) == [[2]])
        #expect(network.log[0].description == "#0 t=0.0s client:56830 -> server:5683 1 bytes, dropped (filter)")
    }

    @Test func removedNodeNoLongerReceives() {
        let network = VirtualNetwork(defaultLink: LinkConditions(delay: 10))
        let client = network.add(RecorderNode(), at: a)
        network.add(RecorderNode(), at: b)
        client.perform { _, _ in [Datagram([1], peer: b)] }
        network.remove(at: b)
        network.runUntilIdle(limit: .seconds(1))
        #expect(network.log.map(\.fate) == [.dropped(.noRoute)])
    }

    @Test func runUntilIdleStopsAtTheLimit() {
        let network = VirtualNetwork()
        network.add(PeriodicNode(server: b, period: 1000, due: .zero), at: a)
        #expect(network.runUntilIdle(limit: Instant(milliseconds: 3500)) == false)
        #expect(network.now == Instant(milliseconds: 3500))
        #expect(network.log.count == 4)   // at 0, 1000, 2000, 3000
    }

    @Test func stuckNodeHitsTheEventLimitInsteadOfHanging() {
        let network = VirtualNetwork()
        let stuck = network.add(StuckNode(), at: a)
        network.run(for: 50)   // first run: past deadlines count as due now
        let ran = network.run(until: .seconds(1), eventLimit: 25)
        #expect(ran == 25)
        #expect(network.now < .seconds(1))
        #expect(stuck.wakeTimes.count >= 25)
        #expect(network.runUntilIdle(limit: .seconds(1), eventLimit: 10) == false)
    }

    @Test func seededGeneratorIsStable() {
        var one = SplitMix64(seed: 42)
        var two = SplitMix64(seed: 42)
        let values = (0..<5).map { _ in one.next() }
        #expect((0..<5).map { _ in two.next() } == values)
        #expect(Set(values).count == 5)
        var unit = SplitMix64(seed: 3)
        #expect((0..<1000).allSatisfy { _ in (0..<1).contains(unit.nextUnitInterval()) })
        #expect((0..<1000).allSatisfy { _ in (0...4).contains(unit.next(atMost: 4)) })
        #expect(unit.next(atMost: 0) == 0)
    }
}
