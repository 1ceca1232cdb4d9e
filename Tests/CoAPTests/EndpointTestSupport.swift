import Testing
@testable import CoAP

let serverAddress = PeerAddress(host: "10.0.0.1", port: 5683)
let clientAddress = PeerAddress(host: "10.0.0.2", port: 56830)
let strangerAddress = PeerAddress(host: "10.0.0.3", port: 5683)

func at(_ ms: Int64) -> Instant { Instant(milliseconds: ms) }

func decoded(_ datagrams: [Datagram]) -> [Message] {
    datagrams.compactMap { try? Message(decoding: $0.bytes) }
}

func getMessage(_ path: String...) -> Message {
    var m = Message(type: .confirmable, code: .get)
    m.uriPath = path
    return m
}

extension EndpointEvent {
    var request: IncomingRequest? { if case .request(let r) = self { r } else { nil } }
    var droppedReason: DropReason? { if case .dropped(_, let r) = self { r } else { nil } }
}

/// Two endpoints wired back to back: every datagram one sends reaches the other at the same
/// virtual instant unless `loses` says it is lost. Time moves only to the next deadline.
struct Pipe {
    var a: CoAPEndpoint
    var b: CoAPEndpoint
    let aAddress = clientAddress
    let bAddress = serverAddress
    var now = Instant.zero
    var loses: (inout SplitMix64) -> Bool = { _ in false }
    var random = SplitMix64(seed: 1)
    var aEvents: [(Instant, EndpointEvent)] = []
    var bEvents: [(Instant, EndpointEvent)] = []
    /// What B does with each request it receives (defaults to a piggybacked 2.05).
    var serve: (inout CoAPEndpoint, IncomingRequest, Instant) -> Void = { endpoint, request, now in
        endpoint.respond(to: request, with: Message(type: .acknowledgement, code: .content, payload: [1]), now: now)
    }

    init(a: CoAPEndpoint, b: CoAPEndpoint) { self.a = a; self.b = b }

    /// Moves the datagrams both sides have queued until none are left, then collects events.
    mutating func flush(_ sentByA: [Datagram] = [], _ sentByB: [Datagram] = []) {
        var fromA = sentByA + a.takeDatagrams()
        var fromB = sentByB + b.takeDatagrams()
        while !fromA.isEmpty || !fromB.isEmpty {
            for d in fromA where !loses(&random) {
                fromB += b.receive(Datagram(d.bytes, peer: aAddress), now: now)
                collectB()
                fromB += b.takeDatagrams()
            }
            fromA = []
            for d in fromB where !loses(&random) {
                fromA += a.receive(Datagram(d.bytes, peer: bAddress), now: now)
            }
            fromB = []
            aEvents += a.takeEvents().map { (now, $0) }
        }
    }

    private mutating func collectB() {
        for e in b.takeEvents() {
            bEvents.append((now, e))
            if case .request(let r) = e { serve(&b, r, now) }
        }
    }

    /// Runs until both sides have nothing scheduled before `limit`.
    mutating func run(until limit: Instant) {
        flush()
        while let next = [a.nextDeadline, b.nextDeadline].compactMap({ $0 }).min(), next <= limit {
            now = next
            let sentByA = a.advance(to: now)
            let sentByB = b.advance(to: now)
            aEvents += a.takeEvents().map { (now, $0) }
            collectB()
            flush(sentByA, sentByB)
        }
        now = max(now, limit)
    }
}
