import CoAP
import Testing
@testable import LwM2M

/// 100,000 random and mutated datagrams thrown at a registered, observed LwM2M client node and
/// at its server node mid-life. The mutations start from real traffic captured from a virtual
/// run (bootstrap TLV writes, Register, reads in three formats, TLV writes, Write-Attributes,
/// Observe and notifications, Execute, Create/Delete, Send, Update). Nothing may trap, and
/// afterwards the pair must still complete a normal read.
@Suite struct NodeFuzzTests {
    /// Records every datagram the world carries, without losing any.
    final class Tap {
        var datagrams: [(bytes: [UInt8], from: PeerAddress, to: PeerAddress)] = []
    }

    static func tlv(_ instance: ObjectInstance) -> EncodedContent {
        EncodedContent(format: .tlv, bytes: TLV.encode(LwM2MNode.instance(instance)))
    }

    /// What the server does to the client while the traffic is captured.
    static var operations: [DeviceOperation] {
        let resource = LwM2MPath(19, 0, 1)
        let written = ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([9, 8, 7])]), .single(1, .integer(5))])
        let created = ObjectInstance(id: 3, resources: [.multiple(0, [0: .opaque([1])]), .single(1, .integer(1))])
        var ops: [DeviceOperation] = []
        ops.append(.read(LwM2MPath(3, 0), accept: .tlv))
        ops.append(.read(LwM2MPath(3, 0, 0)))
        ops.append(.read(LwM2MPath(4, 0), accept: .senmlJSON))
        ops.append(.read(LwM2MPath(3, 0), accept: .lwm2mJSON))
        ops.append(.discover(LwM2MPath(3)))
        ops.append(.write(LwM2MPath(19, 0), tlv(written), mode: .partialUpdate))
        ops.append(.write(resource, EncodedContent(format: .textPlain, bytes: Array("17".utf8))))
        ops.append(.writeAttributes(resource, query: ["pmin=1", "pmax=5", "st=2"]))
        ops.append(.observe(resource))
        ops.append(.observe(LwM2MPath(3, 0), accept: .tlv))
        ops.append(.execute(LwM2MPath(3, 0, 4)))
        ops.append(.create(objectID: 19, tlv(created)))
        ops.append(.delete(LwM2MPath(19, 3)))
        return ops
    }

    /// A mid-life pair and the traffic that brought it there.
    static func capturedWorld() throws -> (EndpointWorld, Tap) {
        var world = EndpointWorld.make(
            client: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", bootstrapServer: testBootstrapServer),
                                objects: testObjects(bootstrap: true)),
            bootstrapSteps: BootstrapStep.serverAccount(uri: "coap://192.0.2.1:5683", lifetime: 300))
        let tap = Tap()
        world.lose = { d, from in
            tap.datagrams.append((d.bytes, from, d.peer))
            return false
        }
        world.post(world.client.command(now: .zero) { $0.start(now: .zero) }, from: EndpointWorld.clientAddress)
        world.settle()
        try #require(world.client.machine.status == .registered)

        for op in operations {
            let now = world.now
            let (_, out) = world.server.command(now: now) { $0.perform(op, on: "dev", now: now) }
            world.post(out, from: testServer)
            world.settle()
        }
        let resource = LwM2MPath(19, 0, 1)
        for k in 1...6 {
            world.run(until: Instant(milliseconds: Int64(k) * 3_000))
            let now = world.now
            let value = ResourceValue.integer(Int64(10 * k))
            let out = world.client.command(now: now) { c in c.modifyObjects(now: now) { try? $0.setValue(value, at: resource) } }
            world.post(out, from: EndpointWorld.clientAddress)
            world.settle()
        }
        let now = world.now
        let (_, sent) = world.client.command(now: now) { $0.send(LwM2MPath(3, 0, 13), now: now) }
        world.post(sent, from: EndpointWorld.clientAddress)
        world.post(world.client.command(now: now) { $0.update(now: now) }, from: EndpointWorld.clientAddress)
        world.settle()
        world.lose = { _, _ in false }
        return (world, tap)
    }

    static let interestingCodes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x41, 0x44, 0x45, 0x84, 0x00, 0xE0]

    /// One datagram made from `corpus` (mutated) or from nothing (random bytes).
    static func fuzzed(_ corpus: [[UInt8]], _ rng: inout SplitMix64) -> [UInt8] {
        func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
        func byte() -> UInt8 { UInt8(truncatingIfNeeded: rng.next()) }
        if corpus.isEmpty || below(10) < 2 {
            var bytes: [UInt8] = []
            for _ in 0..<below(64) { bytes.append(byte()) }
            // Half of them start with a plausible header so they reach the option parser.
            if !bytes.isEmpty && below(2) == 0 { bytes[0] = 0x40 | (bytes[0] & 0x37) }
            return bytes
        }
        var bytes = corpus[below(corpus.count)]
        // A fresh message id, mostly, so that de-duplication does not answer from its cache.
        if bytes.count >= 4 && below(5) > 0 {
            bytes[2] = byte()
            bytes[3] = byte()
        }
        for _ in 0...below(4) {
            if bytes.isEmpty {
                bytes = [byte()]
                continue
            }
            let i = below(bytes.count)
            switch below(9) {
            case 0: bytes[i] ^= UInt8(1) << UInt8(below(8))
            case 1: bytes[i] = byte()
            case 2: bytes.insert(byte(), at: i)
            case 3: bytes.remove(at: i)
            case 4: bytes.removeSubrange(i...)
            case 5:
                let chunk = Array(bytes[i...].prefix(below(16)))
                bytes.append(contentsOf: chunk)
            case 6:
                // Token length, including the reserved 9–15.
                bytes[0] = (bytes[0] & 0xF0) | UInt8(below(16))
            case 7:
                if bytes.count > 1 { bytes[1] = interestingCodes[below(interestingCodes.count)] }
            default:
                // Splice: this datagram's start, another capture's tail.
                let other = corpus[below(corpus.count)]
                var spliced = Array(bytes.prefix(i))
                spliced.append(contentsOf: other.dropFirst(below(other.count + 1)))
                bytes = spliced
            }
        }
        return bytes
    }

    @Test func hundredThousandDatagramsThenANormalRead() throws {
        var (world, tap) = try Self.capturedWorld()
        let toClient: [[UInt8]] = tap.datagrams.filter { $0.to == EndpointWorld.clientAddress }.map(\.bytes)
        let toServer: [[UInt8]] = tap.datagrams.filter { $0.to == testServer }.map(\.bytes)
        #expect(toClient.count >= 20, "captured \(toClient.count) datagrams to the client")
        #expect(toServer.count >= 20, "captured \(toServer.count) datagrams to the server")
        var codes: Set<Code> = []
        for d in tap.datagrams {
            if let m = try? Message(decoding: d.bytes) { codes.insert(m.code) }
        }
        let wanted: Set<Code> = [.get, .put, .post, .delete, .content, .changed, .created, .deleted]
        #expect(codes.isSuperset(of: wanted), "\(codes)")

        let stranger = PeerAddress(host: "203.0.113.9", port: 40_000)
        var rng = SplitMix64(seed: 0xF055_2026)
        var now: Instant = world.now
        var sentBack = 0
        for i in 0..<100_000 {
            let intoClient = i % 2 == 0
            let bytes = Self.fuzzed(intoClient ? toClient : toServer, &rng)
            let source: PeerAddress
            switch rng.next() % 16 {
            case 0: source = stranger
            case 1: source = testBootstrapServer
            default: source = intoClient ? testServer : EndpointWorld.clientAddress
            }
            now = now + Int64(rng.next() % 24)
            let datagram = Datagram(bytes, peer: source)
            let out: [Datagram] = intoClient ? world.client.receive(datagram, now: now) : world.server.receive(datagram, now: now)
            sentBack += out.count
            if i % 32 == 0 {
                sentBack += world.client.advance(to: now).count
                sentBack += world.server.advance(to: now).count
                _ = world.client.takeEvents()
                _ = world.server.takeEvents()
            }
        }
        #expect(sentBack > 1_000, "the nodes answered \(sentBack) times: the fuzz hardly got past the codec")

        // Let every exchange the fuzz started run out.
        world.now = now
        world.clientEvents = []
        world.serverEvents = []
        world.run(until: now + 300_000)
        // The fuzz may legitimately have ended the registration (a spoofed De-register, say):
        // the client learns it from its next Update and registers again, as a module would.
        if world.server.machine.registration(endpoint: "dev") == nil && world.client.machine.status == .registered {
            let t = world.now
            world.post(world.client.command(now: t) { $0.update(now: t) }, from: EndpointWorld.clientAddress)
            world.run(until: t + 300_000)
        }
        if world.client.machine.status != .registered {
            let t = world.now
            world.post(world.client.command(now: t) { $0.start(now: t) }, from: EndpointWorld.clientAddress)
            world.run(until: t + 300_000)
        }
        try #require(world.client.machine.status == .registered,
                     "client \(world.client.machine.status): \(world.clientEvents.map(\.1))")
        try #require(world.server.machine.registration(endpoint: "dev") != nil)

        // A normal read, end to end (held until the client is awake if the fuzz made it sleepy).
        let t = world.now
        let (readID, out) = world.server.command(now: t) { $0.perform(.read(LwM2MPath(3, 0, 0)), on: "dev", now: t) }
        let id = try #require(readID)
        world.post(out, from: testServer)
        world.run(until: t + 600_000)
        var answer: OperationResponse?
        for (_, e) in world.serverEvents {
            if case .operation(.completed(id, "dev", _, let r)) = e { answer = r }
        }
        #expect(answer?.code == .content, "\(world.serverEvents.map(\.1))")
        #expect(answer?.content?.bytes == Array("Quectel".utf8))
    }
}
