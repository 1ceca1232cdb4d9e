import CoAP
import Testing
@testable import LwM2M

/// A third-party CoAP client (a bare `CoAPEndpoint`, as `coap-client -b 64` behaves) at the
/// server's address reads from our LwM2M client node and asks for small blocks from the
/// first request on (RFC 7959 §2.4 early negotiation): every answer honours the size.
@Suite struct BlockwiseEarlyNegotiationTests {
    /// The client node and a bare endpoint standing where the LwM2M server would be.
    struct ThirdPartyWorld {
        var client: LwM2MClientNode
        var peer = CoAPEndpoint(seed: 77)
        var now: Instant = .zero
        var fromClient: [Message] = []
        var responses: [(RequestHandle, Message)] = []

        init(client: LwM2MClient) {
            self.client = LwM2MClientNode(machine: client, endpoint: CoAPEndpoint(seed: 1))
        }

        /// Carries datagrams both ways until quiet; the peer answers a Register with 2.01.
        mutating func exchange(_ initial: [Datagram], fromClient start: Bool) {
            var toPeer = start ? initial : []
            var toClient = start ? [] : initial
            while !toPeer.isEmpty || !toClient.isEmpty {
                for d in toPeer {
                    fromClient += (try? Message(decoding: d.bytes)).map { [$0] } ?? []
                    toClient += peer.receive(Datagram(d.bytes, peer: BlockwiseWorld.clientAddress), now: now)
                    for event in peer.takeEvents() {
                        switch event {
                        case .request(let r) where r.message.uriPath == ["rd"]:
                            var created = Message(type: .acknowledgement, code: .created)
                            created.locationPath = ["rd", "1"]
                            peer.respond(to: r, with: created, now: now)
                        case .response(let h, let m):
                            responses.append((h, m))
                        default:
                            break
                        }
                    }
                    toClient += peer.takeDatagrams()
                }
                toPeer = []
                for d in toClient { toPeer += client.receive(Datagram(d.bytes, peer: testServer), now: now) }
                toClient = []
            }
        }

        /// GETs `path` in blocks of `size` from block 0 on, to the end; returns the body.
        mutating func read(_ path: [String], blockSize size: Int) -> Block2Step? {
            var request = Message(type: .confirmable, code: .get)
            request.uriPath = path
            var download = Block2Download(request: request, preferredSzx: BlockOption.szx(forSize: size))
            var next = download.firstRequest
            for _ in 0..<200 {
                responses = []
                _ = peer.sendRequest(next, to: BlockwiseWorld.clientAddress, confirmable: true, now: now)
                exchange(peer.takeDatagrams(), fromClient: false)
                guard let (_, m) = responses.first else { return nil }
                let step = download.receive(m)
                guard case .request(let r) = step else { return step }
                next = r
            }
            return nil
        }
    }

    @Test func coapClientDashB64ReadingDeviceGetsEveryBlockAt64Bytes() throws {
        var world = ThirdPartyWorld(client: largeValueClient())
        let register = world.client.command(now: .zero) { $0.start(now: .zero) }
        world.exchange(register, fromClient: true)
        #expect(world.client.machine.status == .registered)
        world.fromClient = []

        let expected = try world.client.machine.objects.read(LwM2MPath(3, 0), accept: nil)
        #expect(expected.bytes.count > 1024)
        let step = world.read(["3", "0"], blockSize: 64)
        guard case .complete(let whole)? = step else {
            Issue.record("transfer did not complete: \(String(describing: step))")
            return
        }
        #expect(whole.code == .content)
        #expect(whole.payload == expected.bytes)
        #expect(whole.contentFormat == UInt32(expected.format.rawValue))
        let blocks = world.fromClient.compactMap(\.block2)
        #expect(blocks.count == BlockOption.blockCount(bodyLength: expected.bytes.count, szx: 2))
        #expect(blocks.allSatisfy { $0.size == 64 })
        #expect(world.fromClient.allSatisfy { $0.payload.count <= 64 })
        #expect(world.fromClient.first?.size2 == UInt32(expected.bytes.count))
    }

    @Test func anEarlyRequestForSmallBlocksIsHonouredEvenWhenTheAnswerFitsOurSize() throws {
        var world = ThirdPartyWorld(client: largeValueClient { try? $0.setValue(.string("Asia/Shanghai, UTC+08:00"), at: LwM2MPath(3, 0, 15)) })
        world.exchange(world.client.command(now: .zero) { $0.start(now: .zero) }, fromClient: true)
        world.fromClient = []
        // /3/0/15 is short: asked for 16-byte blocks, it still comes in blocks.
        let expected = try world.client.machine.objects.read(LwM2MPath(3, 0, 15), accept: nil)
        #expect(expected.bytes.count > 16 && expected.bytes.count < 512)
        guard case .complete(let whole)? = world.read(["3", "0", "15"], blockSize: 16) else {
            Issue.record("transfer did not complete")
            return
        }
        #expect(whole.payload == expected.bytes)
        #expect(world.fromClient.compactMap(\.block2?.size) == Array(repeating: 16, count: (expected.bytes.count + 15) / 16))
    }

    @Test func aLargerSizeThanOursIsAnsweredAtOurs() throws {
        var world = ThirdPartyWorld(client: largeValueClient())
        world.exchange(world.client.command(now: .zero) { $0.start(now: .zero) }, fromClient: true)
        world.fromClient = []
        guard case .complete(let whole)? = world.read(["3", "0", "0"], blockSize: 1024) else {
            Issue.record("transfer did not complete")
            return
        }
        #expect(whole.payload.count == 1024)
        #expect(world.fromClient.compactMap(\.block2Description) == ["0/1/512", "1/0/512"])
    }
}
