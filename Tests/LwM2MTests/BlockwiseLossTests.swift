import CoAP
import Testing
@testable import LwM2M

/// Blocks lost on the way are retransmitted by the endpoint beneath and taken once; a transfer
/// abandoned half-way is forgotten after the transfer lifetime, to the millisecond.
@Suite struct BlockwiseLossTests {
    let client = BlockwiseWorld.clientAddress

    @Test func aLostBlockOfAReadIsRetransmittedAndTheBodyIsExact() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        var lost = false
        world.lose = { record in
            guard !lost, record.from == BlockwiseWorld.clientAddress, record.message?.block2?.number == 1 else { return false }
            lost = true
            return true
        }
        let path = LwM2MPath(19, 0)
        let id = try world.operate(.read(path, accept: .tlv))
        #expect(world.outcome(of: id) == nil)
        world.run(until: at(10_000))
        #expect(world.content(of: id)?.bytes == (try world.client.machine.objects.read(path, accept: .tlv)).bytes)
        // The GET for block 1 went twice (same message id), 2 s apart; the client's endpoint
        // answered the copy from its de-duplication record, so its machine read once.
        let gets = world.wire.filter { $0.from == testServer && $0.message?.block2?.number == 1 }
        #expect(gets.map(\.at) == [at(0), at(2_000)])
        #expect(Set(gets.compactMap(\.message?.messageID)).count == 1)
        let answers = world.wire.filter { $0.from == BlockwiseWorld.clientAddress && $0.message?.block2?.number == 1 }
        #expect(answers.map(\.lost) == [true, false])
        #expect(answers[0].message == answers[1].message)
        #expect(world.sent(from: client, delivered: true).compactMap(\.block2?.number) == [0, 1, 2])
        let reads = world.clientEvents.filter { if case .served(let s) = $0.1 { s.kind == .read } else { false } }
        #expect(reads.count == 1)
    }

    @Test func aLostBlockOfAWriteIsRetransmittedAndTakenOnce() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        var lost = false
        world.lose = { record in
            guard !lost, record.from == testServer, record.message?.block1?.number == 2 else { return false }
            lost = true
            return true
        }
        let values: [UInt16: ResourceValue] = [0: .opaque(patterned(512, seed: 21)), 1: .opaque(patterned(512, seed: 22)),
                                               2: .opaque(patterned(512, seed: 23))]
        let path = LwM2MPath(19, 0, 0)
        let id = try world.operate(.write(path, EncodedContent(format: .tlv, bytes: TLV.encode(.resource(.multiple(0, values))))))
        world.run(until: at(10_000))
        #expect(world.outcome(of: id).map { if case .success = $0 { true } else { false } } == true)
        #expect(world.client.machine.objects.resource(at: path) == .multiple(0, values))
        let third = world.wire.filter { $0.from == testServer && $0.message?.block1?.number == 2 }
        #expect(third.map(\.lost) == [true, false])
        #expect(third.map(\.at) == [at(0), at(2_000)])
        #expect(world.sent(from: client).map(\.code) == [.continue, .continue, .continue, .changed])
    }

    @Test func aLostContinueMakesTheBlockGoAgainAndTheBodyStaysExact() throws {
        var world = BlockwiseWorld(client: largeValueClient(configure: BlockwiseUploadTests.manyInstances(150)))
        var lost = false
        world.lose = { record in
            guard !lost, record.from == testServer, record.message?.code == .continue else { return false }
            lost = true
            return true
        }
        world.start()
        world.run(until: at(10_000))
        #expect(world.client.machine.status == .registered)
        #expect(world.server.machine.registration(endpoint: "dev")?.objectLinks
                == world.client.machine.objects.registrationLinks(rootType: true))
        // Block 0 went twice; the server's endpoint replayed its 2.31 without a second delivery.
        #expect(world.wire.filter { $0.from == BlockwiseWorld.clientAddress && $0.message?.block1?.number == 0 }.count == 2)
    }

    @Test func anAbandonedUploadIsForgottenAfterTheTransferLifetime() throws {
        var world = BlockwiseWorld(client: largeValueClient(configure: BlockwiseUploadTests.manyInstances(150)))
        var sent = 0
        world.lose = { record in
            guard record.from == BlockwiseWorld.clientAddress else { return false }
            sent += 1
            return sent > 1     // block 0 arrives; the client is then cut off
        }
        world.start()
        #expect(world.server.incomingTransferCount == 1)
        #expect(world.client.transfersInProgress == 1)
        world.run(until: at(200_000))
        // The client gives up on its side (5 retransmissions, 2+4+...+64 s).
        #expect(world.clientEvents.map(\.1) == [.registrationFailed(.timeout)])
        #expect(world.clientEvents.first?.0 == at(126_000))
        #expect(world.client.openExchangeCount == 0)
        #expect(world.client.transfersInProgress == 0)
        // The server keeps the half body for EXCHANGE_LIFETIME after block 0, then drops it.
        world.run(until: at(246_999))
        #expect(world.server.incomingTransferCount == 1)
        world.run(until: at(247_000))
        #expect(world.server.incomingTransferCount == 0)
        #expect(world.server.nextDeadline.map { $0 > at(247_000) } ?? true)
        #expect(world.server.machine.registration(endpoint: "dev") == nil)
    }

    @Test func anAbandonedDownloadLeavesNoKeptAnswerAfterTheTransferLifetime() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.run(until: at(1_000))
        world.wire = []
        var sent = 0
        world.lose = { record in
            guard record.from == testServer else { return false }
            sent += 1
            return sent > 1     // the GET for block 0 arrives, nothing after it
        }
        let id = try world.operate(.read(LwM2MPath(3, 0, 0), accept: .textPlain))
        #expect(world.client.keptResponseCount == 1)
        world.run(until: at(200_000))
        #expect(world.outcome(of: id).map { if case .failure(.timeout) = $0 { true } else { false } } == true)
        #expect(world.server.openExchangeCount == 0)
        world.run(until: at(247_999))
        #expect(world.client.keptResponseCount == 1)
        world.run(until: at(248_000))
        #expect(world.client.keptResponseCount == 0)
        #expect(world.client.incomingTransferCount == 0)
    }

    @Test func keptAnswersAndHalfBodiesStayWithinTheirCaps() throws {
        var config = BlockwiseConfiguration()
        config.maximumKeptResponses = 2
        var world = BlockwiseWorld(client: largeValueClient(), clientBlocks: config)
        world.start()
        world.lose = { record in record.from == testServer && (record.message?.block2?.number ?? 0) > 0 }
        for path in [LwM2MPath(3, 0, 0), LwM2MPath(19, 0, 0), LwM2MPath(19, 0), LwM2MPath(3, 0)] {
            _ = try world.operate(.read(path, accept: path == LwM2MPath(3, 0, 0) ? .textPlain : .tlv))
        }
        #expect(world.client.keptResponseCount == 2)
        #expect(world.server.transfersInProgress == 4)
    }
}
