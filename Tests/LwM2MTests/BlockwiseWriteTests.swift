import CoAP
import Testing
@testable import LwM2M

/// The server writes values larger than one block: its node uploads with Block1, the client's
/// node reassembles the body and only then hands the Write to the client machine.
@Suite struct BlockwiseWriteTests {
    let client = BlockwiseWorld.clientAddress

    @Test func aTLVWriteOfThreeOpaqueValuesGoesInFourBlocksAndIsAppliedOnce() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        let values: [UInt16: ResourceValue] = [0: .opaque(patterned(512, seed: 9)), 1: .opaque(patterned(512, seed: 10)),
                                               2: .opaque(patterned(500, seed: 11))]
        let body = TLV.encode(.resource(.multiple(0, values)))
        #expect(body.count > 1536 && body.count <= 2048)
        let path = LwM2MPath(19, 0, 0)

        let id = try world.operate(.write(path, EncodedContent(format: .tlv, bytes: body)))
        #expect(world.outcome(of: id).map { if case .success(let r) = $0 { r.code == .changed } else { false } } == true)
        #expect(world.client.machine.objects.resource(at: path) == .multiple(0, values))
        let puts = world.sent(from: testServer)
        try #require(puts.map(\.block1Description) == ["0/1/512", "1/1/512", "2/1/512", "3/0/512"])
        #expect(puts.allSatisfy { $0.code == .put && $0.uriPath == ["19", "0", "0"] && $0.contentFormat == 11542 })
        #expect(puts[0].size1 == UInt32(body.count))
        #expect(puts.flatMap(\.payload) == body)
        let answers = world.sent(from: client)
        #expect(answers.map(\.code) == [.continue, .continue, .continue, .changed])
        #expect(answers.map(\.block1Description) == ["0/1/512", "1/1/512", "2/1/512", "3/0/512"])
        // The machine saw one Write, the whole one.
        let writes = world.clientEvents.filter { if case .served(let s) = $0.1 { s.kind == .write } else { false } }
        #expect(writes.count == 1)
        #expect(world.client.incomingTransferCount == 0)
        #expect(world.server.openExchangeCount == 0)
    }

    @Test func anAndlinkJSONWriteAsTextReachesTheDownlinkResourceByteForByte() throws {
        var world = BlockwiseWorld(client: largeValueClient { objects in
            try? objects.setInstance(ObjectInstance(id: 1, resources: [.multiple(0, [0: .opaque([])])]), of: 19)
        })
        world.start()
        world.wire = []
        let items = (0..<40).map { #"{"outletStatus":"\#($0 % 2)","timer":\#($0 * 60),"name":"socket-\#($0)"}"# }
        let json = Array(#"{"deviceId":"CMCC-30135-863663040000001","params":[\#(items.joined(separator: ","))]}"#.utf8)
        #expect(json.count > 1024)
        let path = LwM2MPath(19, 1, 0, 0)

        let id = try world.operate(.write(path, EncodedContent(format: .textPlain, bytes: json)))
        #expect(world.outcome(of: id).map { if case .success = $0 { true } else { false } } == true)
        #expect(world.client.machine.objects.value(at: path) == .opaque(json))
        let blocks = world.sent(from: testServer).compactMap(\.block1)
        #expect(blocks.count == BlockOption.blockCount(bodyLength: json.count, szx: 5))
        #expect(blocks.last?.more == false)
    }

    @Test func aWriteTheClientRefusesEndsWithItsCodeAfterTheLastBlock() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        // /3/0/0 is read-only: the client reassembles the body, then its machine says 4.05.
        let id = try world.operate(.write(LwM2MPath(3, 0, 0), EncodedContent(format: .textPlain, bytes: Array(String(repeating: "x", count: 900).utf8))))
        #expect(world.outcome(of: id).map { if case .failure(.response(.methodNotAllowed)) = $0 { true } else { false } } == true)
        #expect(world.sent(from: client).map(\.code) == [.continue, .methodNotAllowed])
    }

    @Test func aBodyOverTheClientsLimitIsRefusedWith4_13() throws {
        var limited = BlockwiseConfiguration()
        limited.maximumBodySize = 1000
        var world = BlockwiseWorld(client: largeValueClient(), clientBlocks: limited)
        world.start()
        world.wire = []
        let id = try world.operate(.write(LwM2MPath(19, 0, 0), EncodedContent(
            format: .tlv, bytes: TLV.encode(.resource(.multiple(0, [0: .opaque(patterned(1200))]))))))
        #expect(world.outcome(of: id).map { if case .failure(.response(.requestEntityTooLarge)) = $0 { true } else { false } } == true)
        // Size1 on block 0 announced the body, so nothing was taken.
        #expect(world.sent(from: testServer).count == 1)
        #expect(world.sent(from: client).first?.size1 == 1000)
        #expect(world.client.incomingTransferCount == 0)
    }

    @Test func theServersSmallerBlockSizeIsUsedForItsUpload() throws {
        var world = BlockwiseWorld(client: largeValueClient(), serverBlocks: BlockwiseConfiguration(blockSize: 64))
        world.start()
        world.wire = []
        let json = patterned(300)
        let id = try world.operate(.write(LwM2MPath(19, 0, 0, 0), EncodedContent(format: .opaque, bytes: json)))
        #expect(world.outcome(of: id).map { if case .success = $0 { true } else { false } } == true)
        #expect(world.client.machine.objects.value(at: LwM2MPath(19, 0, 0, 0)) == .opaque(json))
        #expect(world.sent(from: testServer).compactMap(\.block1?.size) == [64, 64, 64, 64, 64])
    }
}
