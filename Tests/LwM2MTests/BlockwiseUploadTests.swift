import CoAP
import Testing
@testable import LwM2M

/// The client's own large requests: a Register whose link-format payload is over one block, a
/// Send of a large SenML body, an Update carrying many links. The client node uploads with
/// Block1, the server node reassembles before the registration directory or Send sees them.
@Suite struct BlockwiseUploadTests {
    let client = BlockwiseWorld.clientAddress

    static func manyInstances(_ count: UInt16) -> (inout ObjectTree) -> Void {
        { objects in
            for id in 1...count {
                try? objects.setInstance(ObjectInstance(id: id, resources: [.multiple(0, [0: .opaque([])])]), of: 19)
            }
        }
    }

    @Test func aRegisterWithALargeLinkPayloadIsUploadedInBlocks() throws {
        var world = BlockwiseWorld(client: largeValueClient(configure: Self.manyInstances(150)))
        let payload = world.client.machine.objects.registrationPayload(rootType: true)
        #expect(payload.count > 1024 && payload.count <= 2048)
        world.start()
        #expect(world.client.machine.status == .registered)
        let registration = try #require(world.server.machine.registration(endpoint: "dev"))
        #expect(registration.objectLinks == world.client.machine.objects.registrationLinks(rootType: true))
        #expect(registration.objectPaths.filter { $0.objectID == 19 }.count == 151)

        let posts = world.sent(from: client)
        let blockCount = BlockOption.blockCount(bodyLength: payload.count, szx: 5)
        #expect(posts.compactMap(\.block1?.number) == (0..<blockCount).map(UInt32.init))
        #expect(posts.allSatisfy { $0.uriPath == ["rd"] && $0.uriQuery.contains("ep=dev") })
        #expect(posts.flatMap(\.payload) == payload)
        #expect(posts.first?.size1 == UInt32(payload.count))
        let answers = world.sent(from: testServer)
        #expect(answers.map(\.code) == Array(repeating: .continue, count: blockCount - 1) + [.created])
        #expect(answers.last?.locationPath == registration.locationPath)
        #expect(answers.last?.block1 == BlockOption(number: UInt32(blockCount - 1), more: false, szx: 5))
        // The directory saw one Register, not one per block.
        let registered = world.serverEvents.filter { if case .registration(.registered) = $0.1 { true } else { false } }
        #expect(registered.count == 1)
        #expect(world.server.incomingTransferCount == 0)
        #expect(world.client.openExchangeCount == 0)
    }

    @Test func aLargeSendReachesTheServerByteForByte() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        let paths = [LwM2MPath(19, 0, 0), LwM2MPath(3, 0, 0)]
        var values: [(path: LwM2MPath, value: ResourceValue)] = []
        for path in paths { values += try world.client.machine.objects.read(path).flattened(at: path) }
        let body = SenMLJSON.encode(values: values)
        #expect(body.count > 2048)

        var token: Token?
        world.clientCommand { c, now in
            let (t, actions) = c.send(paths, now: now)
            token = t
            return actions
        }
        let sent = try #require(token)
        #expect(world.clientEvents.map(\.1).contains(.sendCompleted(token: sent)))
        let received = world.serverEvents.compactMap { e -> (String?, EncodedContent, [ReportedValue]?)? in
            if case .sendReceived(let ep, let content, let v, _) = e.1 { (ep, content, v) } else { nil }
        }
        try #require(received.count == 1)
        #expect(received[0].0 == "dev")
        #expect(received[0].1 == EncodedContent(format: .senmlJSON, bytes: body))
        #expect(received[0].2?.count == 3)
        let posts = world.sent(from: client)
        #expect(posts.allSatisfy { $0.code == .post && $0.uriPath == ["dp"] })
        #expect(posts.compactMap(\.block1).count == BlockOption.blockCount(bodyLength: body.count, szx: 5))
        // Every block after the first goes under a token of its own.
        #expect(Set(posts.map(\.token)).count == posts.count)
    }

    @Test func anAndlinkSendOfLargeJSONWithItsQueryIsReassembled() throws {
        var world = BlockwiseWorld(client: largeValueClient(), server: LwM2MServer(acceptsSendFromUnregistered: true))
        world.start()
        world.wire = []
        let json = Array(("[" + (0..<30).map { #"{"n":"/19/1/0","vs":"{\"outletStatus\":\"\#($0 % 2)\",\"seq\":\#($0)}"}"# }
            .joined(separator: ",") + "]").utf8)
        #expect(json.count > 1024)
        world.clientCommand { c, now in
            c.send(content: EncodedContent(format: .senmlJSON, bytes: json), query: ["ep=dev"], now: now).1
        }
        let received = world.serverEvents.compactMap { e -> EncodedContent? in
            if case .sendReceived(_, let content, _, _) = e.1 { content } else { nil }
        }
        #expect(received == [EncodedContent(format: .senmlJSON, bytes: json)])
        #expect(world.sent(from: client).allSatisfy { $0.uriQuery == ["ep=dev"] })
    }

    @Test func anUpdateWithNewLinksIsUploadedInBlocksToo() throws {
        var world = BlockwiseWorld(client: largeValueClient())
        world.start()
        world.wire = []
        world.clientCommand { c, now in c.modifyObjects(now: now, Self.manyInstances(100)) }
        #expect(world.clientEvents.map(\.1).contains { if case .updated = $0 { true } else { false } })
        let registration = try #require(world.server.machine.registration(endpoint: "dev"))
        #expect(registration.objectLinks == world.client.machine.objects.registrationLinks(rootType: true))
        #expect(world.sent(from: client).compactMap(\.block1).count > 1)
    }
}
