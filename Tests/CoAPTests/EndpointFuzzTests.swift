import Testing
@testable import CoAP

/// 100,000 random, mutated, repeated and targeted datagrams from six peers into one endpoint that
/// is client and server at once, with its owner sending, answering and deferring along the way.
/// Nothing traps; no request is delivered twice within its lifetime; every table stays under
/// its cap; and once time runs past every lifetime, everything is forgotten.
@Suite struct EndpointFuzzTests {
    private struct Key: Hashable { var peer: PeerAddress; var mid: UInt16 }

    @Test func randomDatagramsFromSeveralPeers() throws {
        let configuration = CoAPEndpoint.Configuration(responseTimeout: 60_000, maxReceivedMessages: 512,
                                                       maxRememberedNonConfirmable: 128)
        var e = CoAPEndpoint(configuration: configuration, seed: 0xF022)
        var gen = RandomDatagrams(seed: 0xF023)
        let peers = (0..<6).map { PeerAddress(host: "10.1.0.\($0)", port: 5683) }
        let pool = (0..<500).map { _ in gen.message() }
        var now: Int64 = 0
        var recentRequests: [RequestHandle] = []
        var recentNotifications: [NotificationHandle] = []
        var waiting: [IncomingRequest] = []
        var history: [(PeerAddress, [UInt8])] = []
        var delivered: [Key: (Int64, MessageType)] = [:]
        var answered: Set<UInt64> = []
        var counts: [String: Int] = [:]
        var maxOutstanding = 0

        for _ in 0..<100_000 {
            now += Int64(gen.int(0...40))
            let time = at(now)
            let peer = peers[gen.int(0...peers.count - 1)]

            // The owner's own moves.
            switch gen.int(0...99) {
            case 0...1:
                var m = pool[gen.int(0...pool.count - 1)]
                m.code = .get
                if gen.chance(50) { m.token = .empty }
                m.observe = nil
                recentRequests.append(e.sendRequest(m, to: peer, confirmable: gen.chance(70), now: time))
            case 2:
                var m = Message(type: .confirmable, code: .content, token: Token(gen.bytes(1...8))!, payload: [1])
                m.observe = UInt32(gen.int(0...1000))
                recentNotifications.append(e.sendNotification(m, to: peer, confirmable: gen.chance(50), now: time))
            case 3...6 where !waiting.isEmpty:
                let r = waiting.remove(at: gen.int(0...waiting.count - 1))
                if gen.chance(30) && e.deferResponse(to: r, now: time) {
                    waiting.append(r)
                } else {
                    e.respond(to: r, with: Message(type: .acknowledgement, code: .content, payload: [2]), now: time)
                }
            default:
                break
            }
            _ = e.takeDatagrams()
            if recentRequests.count > 16 { recentRequests.removeFirst() }
            if recentNotifications.count > 16 { recentNotifications.removeFirst() }
            if waiting.count > 32 { waiting.removeFirst() }

            // The datagram: targeted at something open, a repeat, or noise from a valid message.
            var from = peer
            let bytes: [UInt8]
            switch gen.int(0...99) {
            case 0..<25 where !recentRequests.isEmpty:
                let h = recentRequests[gen.int(0...recentRequests.count - 1)]
                if gen.chance(80) { from = h.peer }
                let m: Message
                switch gen.int(0...4) {
                case 0: m = Message(type: .acknowledgement, code: .empty, messageID: h.messageID)
                case 1: m = Message(type: .acknowledgement, code: .content, messageID: h.messageID, token: h.token)
                case 2: m = Message(type: .reset, code: .empty, messageID: h.messageID)
                case 3: m = Message(type: .confirmable, code: .content, messageID: UInt16(gen.int(0...0xFFFF)), token: h.token)
                default: m = Message(type: .nonConfirmable, code: .changed, messageID: UInt16(gen.int(0...0xFFFF)), token: h.token)
                }
                bytes = gen.chance(80) ? m.encoded() : gen.datagram(from: m.encoded())
            case 25..<35 where !recentNotifications.isEmpty:
                let h = recentNotifications[gen.int(0...recentNotifications.count - 1)]
                from = h.peer
                bytes = Message(type: gen.chance(50) ? .acknowledgement : .reset, code: .empty, messageID: h.messageID).encoded()
            case 35..<55 where !history.isEmpty:
                (from, bytes) = history[gen.int(0...history.count - 1)]
            default:
                var m = pool[gen.int(0...pool.count - 1)]
                m.messageID = UInt16(gen.int(0...63)) // few ids per peer: many genuine duplicates
                bytes = gen.chance(70) ? m.encoded() : gen.datagram(from: m.encoded())
            }
            history.append((from, bytes))
            if history.count > 64 { history.removeFirst() }

            // One datagram in is answered with at most one datagram out.
            let sent = e.receive(Datagram(bytes, peer: from), now: time)
            #expect(sent.count <= 1)
            if gen.chance(20) { _ = e.advance(to: time) }

            for event in e.takeEvents() {
                switch event {
                case .request(let r):
                    let key = Key(peer: r.peer, mid: r.message.messageID)
                    if let (t, type) = delivered[key] {
                        let lifetime = type == .confirmable ? configuration.exchangeLifetime : configuration.nonLifetime
                        #expect(now - t >= lifetime, "delivered twice within its lifetime")
                    }
                    delivered[key] = (now, r.message.type)
                    waiting.append(r)
                    counts["request", default: 0] += 1
                case .response(let h, _):
                    #expect(answered.insert(h.id).inserted, "a second response for one request")
                    counts["response", default: 0] += 1
                case .requestFailed(let h, _):
                    #expect(answered.insert(h.id).inserted, "a failure after the request ended")
                    counts["failed", default: 0] += 1
                case .dropped(_, let reason):
                    counts[String(describing: reason).prefix(10).description, default: 0] += 1
                default:
                    counts["notification", default: 0] += 1
                }
            }
            #expect(e.rememberedMessageCount <= configuration.maxReceivedMessages)
            maxOutstanding = max(maxOutstanding, e.outstandingTransmissionCount)
            #expect(e.timerCount <= 2 * (e.outstandingTransmissionCount + e.openRequestCount) + 64)
        }
        // Far past every lifetime and timeout: nothing left but what nobody can end (no
        // observations were made here).
        _ = e.advance(to: at(now + 1_000_000))
        #expect(e.nextDeadline == nil)
        #expect(e.openRequestCount == 0)
        #expect(e.outstandingTransmissionCount == 0)
        _ = e.receive(Datagram([0x40, 0x00, 0x00, 0x00], peer: peers[0]), now: at(now + 1_000_001))
        #expect(e.rememberedMessageCount == 0)
        #expect(e.timerCount == 0)
        // Every kind of outcome happened many times.
        #expect(counts["request", default: 0] > 1000)
        #expect(counts["response", default: 0] > 100)
        #expect(counts["failed", default: 0] > 100)
        #expect(counts["duplicate", default: 0] > 1000)
        #expect(counts.keys.filter { $0.hasPrefix("malformed") }.count >= 1)
        #expect(maxOutstanding < 2_000)
    }
}
