import CoAP
import Testing
@testable import LwM2M

/// Large Observe answers and notifications (RFC 7959 §2.6): block 0 carries Observe, the
/// server's node fetches the rest with plain GETs and hands the machine one whole notification.
@Suite struct BlockwiseNotificationTests {
    let client = BlockwiseWorld.clientAddress
    let path = LwM2MPath(19, 0, 0)

    static func newValues(_ seed: UInt8) -> [UInt16: ResourceValue] {
        [0: .opaque(patterned(512, seed: seed)), 1: .opaque(patterned(512, seed: seed &+ 1))]
    }

    /// A world where the server observes /19/0/0 (TLV, over two blocks).
    func observing(confirmable: Bool = false) throws -> (BlockwiseWorld, DeviceManagement.OperationID) {
        var client = largeValueClient()
        client.configuration.confirmableNotifications = confirmable
        var world = BlockwiseWorld(client: client)
        world.start()
        world.wire = []
        let id = try world.operate(.observe(path, accept: .tlv))
        return (world, id)
    }

    func notifications(_ world: BlockwiseWorld, _ id: DeviceManagement.OperationID) -> [(Instant, OperationResponse)] {
        world.serverEvents.compactMap { (t, e) in
            if case .operation(.notification(id, "dev", _, let r)) = e { (t, r) } else { nil }
        }
    }

    func change(_ world: inout BlockwiseWorld, to values: [UInt16: ResourceValue]) {
        world.clientCommand { c, now in
            c.modifyObjects(now: now) { try? $0.setResource(.multiple(0, values), objectID: 19, instanceID: 0) }
        }
    }

    @Test func aLargeObserveAnswerAndALargeNotificationArriveWhole() throws {
        var (world, id) = try observing()
        let first = try world.client.machine.objects.read(path, accept: .tlv)
        #expect(world.content(of: id)?.bytes == first.bytes)
        #expect(world.server.machine.management.observations(of: "dev").map(\.1) == [path])
        let registration = world.sent(from: testServer)
        #expect(registration.first?.observe == 0)
        #expect(registration.dropFirst().allSatisfy { $0.observe == nil && $0.block2 != nil })

        world.wire = []
        change(&world, to: Self.newValues(40))
        let expected = try world.client.machine.objects.read(path, accept: .tlv)
        let delivered = notifications(world, id)
        try #require(delivered.count == 1)
        #expect(delivered[0].1.content?.bytes == expected.bytes)
        #expect(delivered[0].1.content?.format == .tlv)
        #expect(delivered[0].1.observe != nil)

        let fromClient = world.sent(from: client)
        let blockCount = BlockOption.blockCount(bodyLength: expected.bytes.count, szx: 5)
        try #require(fromClient.count == blockCount)
        // Block 0 is the notification: Observe, Block2, Size2, the observation's token.
        #expect(fromClient[0].type == .nonConfirmable)
        #expect(fromClient[0].observe == delivered[0].1.observe)
        #expect(fromClient[0].block2Description == "0/1/512")
        #expect(fromClient[0].size2 == UInt32(expected.bytes.count))
        #expect(fromClient[0].token == registration.first?.token)
        #expect(fromClient.dropFirst().allSatisfy { $0.observe == nil })
        // The rest is fetched with plain GETs of the observed path under other tokens.
        let gets = world.sent(from: testServer)
        #expect(gets.compactMap(\.block2?.number) == (1..<blockCount).map(UInt32.init))
        #expect(gets.allSatisfy { $0.code == .get && $0.observe == nil && $0.uriPath == ["19", "0", "0"]
                                  && $0.accept == 11542 && $0.token != registration.first?.token })
        #expect(world.server.transfersInProgress == 0)
        // The observation goes on: the next change is delivered too.
        change(&world, to: Self.newValues(80))
        #expect(notifications(world, id).count == 2)
        #expect(notifications(world, id).last?.1.content?.bytes == (try world.client.machine.objects.read(path, accept: .tlv)).bytes)
    }

    @Test func aConfirmableNotificationIsAcknowledgedAndCompleted() throws {
        var (world, id) = try observing(confirmable: true)
        world.wire = []
        change(&world, to: Self.newValues(3))
        #expect(notifications(world, id).last?.1.content?.bytes == (try world.client.machine.objects.read(path, accept: .tlv)).bytes)
        #expect(world.sent(from: client).first?.type == .confirmable)
        #expect(world.clientEvents.map(\.1).contains(.notificationAcknowledged(path)))
    }

    @Test func aNewerNotificationReplacesOneStillBeingFetched() throws {
        var (world, id) = try observing()
        world.wire = []
        // The first fetch of the rest is lost; before its retransmission is due, a newer
        // notification arrives and the server fetches that one instead.
        var lostOnce = false
        world.lose = { record in
            guard !lostOnce, record.from == testServer, record.message?.block2 != nil else { return false }
            lostOnce = true
            return true
        }
        change(&world, to: Self.newValues(5))
        #expect(world.server.transfersInProgress == 1)
        world.run(until: at(1_000))
        change(&world, to: Self.newValues(6))
        let newest = try world.client.machine.objects.read(path, accept: .tlv)
        world.run(until: at(60_000))
        let delivered = notifications(world, id)
        #expect(delivered.map(\.1.content?.bytes) == [newest.bytes])
        #expect(delivered.map(\.0) == [at(1_000)])
        // The abandoned fetch was never retransmitted.
        #expect(world.wire.filter { $0.from == testServer && $0.at > at(1_000) }.isEmpty)
        #expect(world.server.transfersInProgress == 0)
    }

    @Test func aNotificationWhoseRestCannotBeFetchedIsDroppedButTheObservationGoesOn() throws {
        var (world, id) = try observing()
        world.lose = { record in record.from == testServer && record.message?.block2 != nil }
        change(&world, to: Self.newValues(7))
        world.run(until: at(300_000))
        #expect(notifications(world, id).isEmpty)
        #expect(world.server.transfersInProgress == 0)
        #expect(world.server.machine.management.observations(of: "dev").map(\.1) == [path])
        world.lose = { _ in false }
        change(&world, to: Self.newValues(8))
        #expect(notifications(world, id).map(\.1.content?.bytes) == [(try world.client.machine.objects.read(path, accept: .tlv)).bytes])
    }

    @Test func aNotificationOvertakingTheObserveAnswersRestCompletesTheObserveWithIt() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        // The fetch of the Observe answer's block 1 is lost; a notification comes before the
        // retransmission, and the Observe operation completes with the newer body.
        var lostOnce = false
        world.lose = { record in
            guard !lostOnce, record.from == testServer, record.message?.block2 != nil else { return false }
            lostOnce = true
            return true
        }
        let id = try world.operate(.observe(path, accept: .tlv))
        #expect(world.outcome(of: id) == nil)
        world.run(until: at(500))
        change(&world, to: Self.newValues(12))
        world.run(until: at(60_000))
        let newest = try world.client.machine.objects.read(path, accept: .tlv)
        #expect(world.content(of: id)?.bytes == newest.bytes)
        #expect(world.server.machine.management.observations(of: "dev").map(\.1) == [path])
        #expect(world.server.openExchangeCount == 1)   // the observation itself
        #expect(world.server.transfersInProgress == 0)
    }

    @Test func anObserveWhoseRestNeverComesFailsEvenWhenANotificationOvertookIt() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.lose = { record in record.from == testServer && record.message?.block2 != nil }
        let id = try world.operate(.observe(path, accept: .tlv))
        world.run(until: at(500))
        change(&world, to: Self.newValues(13))
        world.run(until: at(300_000))
        // Every perform ends: the fetch that took over the Observe's answer failed it.
        #expect(world.outcome(of: id).map { if case .failure(.timeout) = $0 { true } else { false } } == true)
        #expect(world.server.transfersInProgress == 0)
    }

    /// The server re-registers under the same token (RFC 7641 §4.1: the new relation replaces
    /// the old); a late RST to a notification of the old relation ends nothing at the client, so
    /// the new relation's notifications keep the Block2 size its GET asked for.
    @Test func aLateResetToAReplacedRelationKeepsTheNewRelationsBlockSize() throws {
        var machine = largeValueClient()
        machine.configuration.confirmableNotifications = true
        var world = BlockwiseWorld(client: machine)
        world.start()
        // From here the test speaks for the server: what the client sends goes nowhere.
        world.lose = { $0.from == BlockwiseWorld.clientAddress }
        let token = try #require(Token([0xB1, 0x0C]))
        func register(_ messageID: UInt16) {
            var get = Message(type: .confirmable, code: .get, messageID: messageID, token: token)
            get.uriPath = ["19", "0", "0"]
            get.observe = 0
            get.accept = 11542
            get.block2 = BlockOption(number: 0, more: false, size: 64)
            world.post(world.client.receive(Datagram(try! get.encoded(), peer: testServer), now: world.now),
                       from: BlockwiseWorld.clientAddress)
        }
        func lastNotification() -> Message? {
            world.sent(from: client).last { $0.token == token && $0.observe != nil && $0.code == .content }
        }
        register(0x7001)
        #expect(lastNotification()?.block2Description == "0/1/64", "the registration's answer, cut as asked")
        change(&world, to: Self.newValues(21))
        let old = try #require(lastNotification())
        #expect(old.type == .confirmable && old.block2Description == "0/1/64")

        register(0x7002)
        world.run(until: at(500))
        let reset = Message(type: .reset, code: .empty, messageID: old.messageID)
        world.post(world.client.receive(Datagram(try reset.encoded(), peer: testServer), now: world.now),
                   from: BlockwiseWorld.clientAddress)
        #expect(world.client.machine.observers[ObserveRelation.Key(peer: testServer, token: token)] != nil,
                "the client kept the new relation")

        change(&world, to: Self.newValues(22))
        let next = try #require(lastNotification())
        #expect(next.messageID != old.messageID)
        #expect(next.block2Description == "0/1/64", "the new relation's size: \(next.block2Description ?? "no Block2")")
        // An RST to the new relation's own notification ends it, and its record with it.
        #expect(world.client.observerCount == 1)
        let endIt = Message(type: .reset, code: .empty, messageID: next.messageID)
        world.post(world.client.receive(Datagram(try endIt.encoded(), peer: testServer), now: world.now),
                   from: BlockwiseWorld.clientAddress)
        #expect(world.client.machine.observers[ObserveRelation.Key(peer: testServer, token: token)] == nil)
        #expect(world.client.observerCount == 0)
    }
}
