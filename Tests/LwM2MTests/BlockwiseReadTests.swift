import CoAP
import Testing
@testable import LwM2M

/// The server reads values larger than one block: the client answers with Block2, the server
/// node fetches every block and the operation completes with the whole body.
@Suite struct BlockwiseReadTests {
    let client = BlockwiseWorld.clientAddress

    @Test func theLargestStringComesInTwoFullBlocks() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        #expect(world.client.machine.status == .registered)
        let path = LwM2MPath(3, 0, 0)
        let expected = try world.client.machine.objects.read(path, accept: .textPlain)
        #expect(expected.bytes.count == 1024)
        world.wire = []

        let id = try world.operate(.read(path, accept: .textPlain))
        #expect(world.content(of: id) == expected)
        let answers = world.sent(from: client)
        try #require(answers.map(\.block2Description) == ["0/1/512", "1/0/512"])
        #expect(answers.map(\.payload.count) == [512, 512])
        #expect(answers[0].size2 == 1024)
        #expect(answers[0].eTag != nil && answers[0].eTag == answers[1].eTag)
        let requests = world.sent(from: testServer)
        try #require(requests.map(\.block2Description) == [nil, "1/0/512"])
        // The follow-up goes under a token of its own; the operation still completes.
        #expect(requests[0].token != requests[1].token)
        #expect(requests.allSatisfy { $0.uriPath == ["3", "0", "0"] && $0.accept == 0 })
        #expect(world.server.openExchangeCount == 0)
        #expect(world.server.transfersInProgress == 0)
        #expect(world.client.keptResponseCount == 1)
    }

    @Test func aMultiPartInstanceReadComesInThreeBlocks() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        let path = LwM2MPath(19, 0)
        let expected = try world.client.machine.objects.read(path, accept: .tlv)
        #expect(expected.bytes.count > 1024 && expected.bytes.count <= 1536)
        world.wire = []

        let id = try world.operate(.read(path, accept: .tlv))
        let content = try #require(world.content(of: id))
        #expect(content.format == .tlv)
        #expect(content.bytes == expected.bytes)
        #expect(world.sent(from: client).map(\.block2Description) == ["0/1/512", "1/1/512", "2/0/512"])
        #expect(world.sent(from: testServer).map(\.block2Description) == [nil, "1/0/512", "2/0/512"])
        // The client machine answered once; the later blocks came from the kept copy.
        let reads = world.clientEvents.filter { if case .served(let s) = $0.1 { s.kind == .read } else { false } }
        #expect(reads.count == 1)
    }

    @Test func aWholeObjectReadOverTheSameSizeIsReassembledByteForByte() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        let expected = try world.client.machine.objects.read(LwM2MPath(3), accept: .tlv)
        let id = try world.operate(.read(LwM2MPath(3), accept: .tlv))
        #expect(world.content(of: id)?.bytes == expected.bytes)
        let blocks = world.sent(from: client).compactMap(\.block2)
        #expect(blocks.count == BlockOption.blockCount(bodyLength: expected.bytes.count, szx: 5))
    }

    @Test func aSmallReadStaysInOneMessageWithoutBlockOptions() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        let path = LwM2MPath(19, 0, 1)
        let id = try world.operate(.read(path))
        #expect(world.content(of: id) == (try world.client.machine.objects.read(path, accept: nil)))
        #expect(world.wire.count == 2)
        #expect(world.wire.allSatisfy { $0.message?.block2 == nil && $0.message?.block1 == nil })
        #expect(world.client.keptResponseCount == 0)
    }

    @Test func theBlockSizeIsTheNodesToChooseAndTheSmallerSideWins() throws {
        var config = BlockwiseConfiguration()
        config.blockSize = 128
        var world = BlockwiseWorld(client: largeValueClient(), clientBlocks: config,
                                   serverBlocks: BlockwiseConfiguration(blockSize: 1024))
        world.start()
        world.wire = []
        let path = LwM2MPath(3, 0, 0)
        let id = try world.operate(.read(path, accept: .textPlain))
        #expect(world.content(of: id)?.bytes == (try world.client.machine.objects.read(path, accept: .textPlain)).bytes)
        let sizes = world.sent(from: client).compactMap { $0.block2?.size }
        #expect(sizes == Array(repeating: 128, count: 8))
        #expect(BlockwiseConfiguration(blockSize: 700).blockSize == 512)
        var odd = BlockwiseConfiguration()
        odd.blockSize = 100
        #expect(odd.blockSize == 64 && odd.szx == 2)
        odd.blockSize = 5000
        #expect(odd.blockSize == 1024)
        #expect(BlockwiseConfiguration().blockSize == 512)
    }

    @Test func aClientThatStopsAnsweringMidwayFailsTheReadWithATimeout() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        var answered = 0
        world.lose = { record in
            guard record.from == BlockwiseWorld.clientAddress else { return false }
            answered += 1
            return answered > 1   // block 0 arrives, nothing after it
        }
        let id = try world.operate(.read(LwM2MPath(3, 0, 0), accept: .textPlain))
        #expect(world.server.transfersInProgress == 1)
        world.run(until: at(400_000))
        #expect(world.outcome(of: id).map { if case .failure(.timeout) = $0 { true } else { false } } == true)
        #expect(world.server.openExchangeCount == 0)
        #expect(world.server.transfersInProgress == 0)
    }
}
