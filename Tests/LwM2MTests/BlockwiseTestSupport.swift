import CoAP
@testable import LwM2M

/// One datagram as it crossed (or failed to cross) the wire between the two nodes.
struct WireRecord {
    var at: Instant
    var from: PeerAddress
    var to: PeerAddress
    var message: Message?
    var lost: Bool
}

/// An LwM2M client node and server node exchanging real datagrams in virtual time, every
/// datagram decoded into `wire`; `lose` drops chosen ones (asked once per datagram sent).
struct BlockwiseWorld {
    static let clientAddress = PeerAddress(host: "10.0.0.2", port: 56830)
    var client: LwM2MClientNode
    var server: LwM2MServerNode
    var now: Instant = .zero
    var inFlight: [(Datagram, PeerAddress)] = []   // datagram.peer = destination, then source
    var wire: [WireRecord] = []
    var lose: (WireRecord) -> Bool = { _ in false }
    var clientEvents: [(Instant, ClientEvent)] = []
    var serverEvents: [(Instant, LwM2MServer.Event)] = []

    init(client: LwM2MClient, server: LwM2MServer = LwM2MServer(),
         clientBlocks: BlockwiseConfiguration = .init(), serverBlocks: BlockwiseConfiguration = .init()) {
        self.client = LwM2MClientNode(machine: client, endpoint: CoAPEndpoint(seed: 1), blockwise: clientBlocks)
        self.server = LwM2MServerNode(machine: server, endpoint: CoAPEndpoint(seed: 2), blockwise: serverBlocks)
    }

    mutating func post(_ datagrams: [Datagram], from source: PeerAddress) {
        for d in datagrams {
            var record = WireRecord(at: now, from: source, to: d.peer, message: try? Message(decoding: d.bytes), lost: false)
            record.lost = lose(record)
            wire.append(record)
            if !record.lost { inFlight.append((d, source)) }
        }
    }

    mutating func settle() {
        while !inFlight.isEmpty {
            let (d, from) = inFlight.removeFirst()
            let arriving = Datagram(d.bytes, peer: from)
            if d.peer == Self.clientAddress { post(client.receive(arriving, now: now), from: Self.clientAddress) }
            else if d.peer == testServer { post(server.receive(arriving, now: now), from: testServer) }
        }
        clientEvents += client.takeEvents().map { (now, $0) }
        serverEvents += server.takeEvents().map { (now, $0) }
    }

    mutating func run(until t: Instant) {
        settle()
        while let d = [client.nextDeadline, server.nextDeadline].compactMap({ $0 }).min(), d <= t {
            now = max(now, d)
            post(client.advance(to: now), from: Self.clientAddress)
            post(server.advance(to: now), from: testServer)
            settle()
        }
        now = max(now, t)
    }

    mutating func start() {
        post(client.command(now: now) { $0.start(now: now) }, from: Self.clientAddress)
        settle()
    }

    mutating func perform(_ operation: DeviceOperation, on endpoint: String = "dev") -> DeviceManagement.OperationID? {
        let t = now
        let (id, out) = server.command(now: t) { $0.perform(operation, on: endpoint, now: t) }
        post(out, from: testServer)
        settle()
        return id
    }

    mutating func clientCommand(_ body: (inout LwM2MClient, Instant) -> [LwM2MClient.Action]) {
        let t = now
        post(client.command(now: t) { body(&$0, t) }, from: Self.clientAddress)
        settle()
    }

    /// Performs `operation` and settles; throws when the client is not registered.
    mutating func operate(_ operation: DeviceOperation, on endpoint: String = "dev") throws -> DeviceManagement.OperationID {
        guard let id = perform(operation, on: endpoint) else { throw NotRegistered() }
        return id
    }

    struct NotRegistered: Error {}

    /// How operation `id` ended: its response, or its failure.
    func outcome(of id: DeviceManagement.OperationID) -> Result<OperationResponse, FailureCause>? {
        for (_, e) in serverEvents {
            if case .operation(.completed(id, _, _, let r)) = e { return .success(r) }
            if case .operation(.failed(id, _, _, let cause)) = e { return .failure(cause) }
        }
        return nil
    }

    func content(of id: DeviceManagement.OperationID) -> EncodedContent? {
        if case .success(let r)? = outcome(of: id) { return r.content }
        return nil
    }

    /// Messages that went out from `source` (lost ones too unless `delivered`).
    func sent(from source: PeerAddress, delivered: Bool = false) -> [Message] {
        wire.filter { $0.from == source && (!delivered || !$0.lost) }.compactMap(\.message)
    }
}

extension Message {
    /// The Block option as "num/more/size", for compact expectations.
    var block2Description: String? { block2?.description }
    var block1Description: String? { block1?.description }
}

/// `count` bytes that differ from block to block, so a misplaced block shows.
func patterned(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251 &+ Int(seed)) }
}

/// A registered-ready client whose tree holds the module's largest values: /19/0/0 has two
/// 512-byte opaque instances, /3/0/0 a 1024-byte string.
func largeValueClient(endpoint: String = "dev", configure: (inout ObjectTree) -> Void = { _ in }) -> LwM2MClient {
    var objects = testObjects()
    try? objects.setInstance(ObjectInstance(id: 0, resources: [
        .multiple(0, [0: .opaque(patterned(512, seed: 1)), 1: .opaque(patterned(512, seed: 2))]),
        .single(1, .integer(0))]), of: 19)
    try? objects.setValue(.string(String(repeating: "Quectel-BC260Y-", count: 69).prefix(1024).description),
                          at: LwM2MPath(3, 0, 0))
    configure(&objects)
    return LwM2MClient(configuration: ClientConfiguration(endpoint: endpoint, server: testServer), objects: objects)
}
