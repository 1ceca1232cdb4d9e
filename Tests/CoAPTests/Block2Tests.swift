import Testing
@testable import CoAP

private let client = PeerAddress(host: "10.0.0.9", port: 40000)
private let token = Token([0x42, 0x43])!
/// 3000 bytes that differ at every offset modulo 251, so a misplaced block cannot match.
private let body3000 = (0..<3000).map { UInt8($0 % 251) }

private func getRequest(block2: BlockOption? = nil, observe: UInt32? = nil) -> Message {
    var m = Message(type: .confirmable, code: .get, messageID: 0x700, token: token)
    m.uriPath = ["19", "0", "0"]
    m.accept = 11542
    m.observe = observe
    m.block2 = block2
    return m
}

private func fullResponse(_ body: [UInt8] = body3000, to request: Message = getRequest()) -> Message {
    var m = Message(type: .acknowledgement, code: .content, messageID: request.messageID, token: request.token,
                    payload: body)
    m.contentFormat = 11542
    return m
}

/// Sends `request` through the codec (as the wire would), then lets the sender answer it from
/// its cache or, failing that, from a freshly produced full response.
private func serve(_ sender: inout Block2Sender, _ request: Message, body: [UInt8] = body3000,
                   now: Instant = .zero) throws -> Message {
    let wire = try Message(decoding: request.encoded())
    let answer = sender.cachedResponse(to: wire, from: client, now: now)
        ?? sender.respond(to: wire, from: client, with: fullResponse(body, to: wire), now: now)
    return try Message(decoding: answer.encoded())
}

@Suite struct Block2SenderTests {
    @Test func cutsALargeResponseIntoBlocksOfTheDefaultSize() throws {
        var sender = Block2Sender()
        let b0 = try serve(&sender, getRequest())
        #expect(b0.block2 == BlockOption(number: 0, more: true, szx: 6))
        #expect(b0.block2?.uintValue == 0x0E)
        #expect(b0.size2 == 3000)
        #expect(b0.payload == Array(body3000[0..<1024]))
        #expect(b0.eTag?.count == 4)
        #expect(b0.contentFormat == 11542 && b0.token == token && b0.messageID == 0x700)
        #expect(sender.count == 1)

        var ask1 = getRequest(block2: BlockOption(number: 1, more: false, szx: 6))
        ask1.messageID = 0x701
        let b1 = try serve(&sender, ask1)
        #expect(b1.block2 == BlockOption(number: 1, more: true, szx: 6))
        #expect(b1.block2?.uintValue == 0x1E)
        #expect(b1.size2 == nil)
        #expect(b1.payload == Array(body3000[1024..<2048]))
        #expect(b1.eTag == b0.eTag)
        #expect(b1.type == .acknowledgement && b1.messageID == 0x701)

        let b2 = try serve(&sender, getRequest(block2: BlockOption(number: 2, more: false, szx: 6)))
        #expect(b2.block2 == BlockOption(number: 2, more: false, szx: 6))
        #expect(b2.block2?.uintValue == 0x26)
        #expect(b2.payload.count == 952)
    }

    /// Early negotiation (§2.4): the client's Block2 0/0/64 in the first request sets the size.
    @Test func honoursTheClientsEarlySizePreference() throws {
        var sender = Block2Sender()
        let b0 = try serve(&sender, getRequest(block2: BlockOption(number: 0, more: false, szx: 2)))
        #expect(b0.block2 == BlockOption(number: 0, more: true, szx: 2))
        #expect(b0.payload.count == 64 && b0.size2 == 3000)
    }

    /// A server limited to 256 bytes answers a request for block 1 of 1024 with block 4 of 256:
    /// the same offset at its own size (§2.3).
    @Test func usesItsOwnSmallerSizeAtTheSameOffset() throws {
        var config = Block2Sender.Configuration()
        config.largestSzx = 4
        var sender = Block2Sender(configuration: config)
        let b0 = try serve(&sender, getRequest())
        #expect(b0.block2 == BlockOption(number: 0, more: true, szx: 4))
        let b = try serve(&sender, getRequest(block2: BlockOption(number: 1, more: false, szx: 6)))
        #expect(b.block2 == BlockOption(number: 4, more: true, szx: 4))
        #expect(b.payload == Array(body3000[1024..<1280]))
    }

    @Test func smallResponsesPassUnchanged() throws {
        var sender = Block2Sender()
        let small = fullResponse(Array(repeating: 7, count: 1024))
        #expect(sender.respond(to: getRequest(), from: client, with: small, now: .zero) == small)
        #expect(sender.count == 0)
        // When the client asked for blocks, a small body is one block with M=0 and Size2.
        let one = sender.respond(to: getRequest(block2: BlockOption(number: 0, more: false, szx: 6)), from: client,
                                 with: small, now: .zero)
        #expect(one.block2 == BlockOption(number: 0, more: false, szx: 6) && one.size2 == 1024 && one.eTag == nil)
        #expect(sender.count == 0)
    }

    @Test func blockBeyondTheEndIsBadOption() throws {
        var sender = Block2Sender()
        let r = try serve(&sender, getRequest(block2: BlockOption(number: 3, more: false, szx: 6)))
        #expect(r.code == .badOption && r.token == token)
        var malformed = getRequest()
        malformed.set(.block2, [[0x0F]])     // SZX 7
        #expect(sender.respond(to: malformed, from: client, with: fullResponse(), now: .zero).code == .badOption)
    }

    @Test func keptResponsesExpireInVirtualTime() throws {
        var sender = Block2Sender()
        _ = try serve(&sender, getRequest(), now: .seconds(10))
        #expect(sender.nextDeadline == .seconds(10) + 247_000)
        let ask1 = getRequest(block2: BlockOption(number: 1, more: false, szx: 6))
        // Using an entry pushes its deadline.
        #expect(sender.cachedResponse(to: ask1, from: client, now: .seconds(100)) != nil)
        #expect(sender.nextDeadline == .seconds(100) + 247_000)
        sender.expire(now: .seconds(100) + 246_999)
        #expect(sender.count == 1)
        sender.expire(now: .seconds(100) + 247_000)
        #expect(sender.count == 0 && sender.nextDeadline == nil)
        #expect(sender.cachedResponse(to: ask1, from: client, now: .seconds(400)) == nil)
        // Other peers never see someone else's kept response.
        _ = try serve(&sender, getRequest())
        #expect(sender.cachedResponse(to: ask1, from: PeerAddress(host: "10.0.0.8", port: 1), now: .zero) == nil)
    }

    @Test func keepsAtMostTheConfiguredNumberOfResponses() throws {
        var config = Block2Sender.Configuration()
        config.maximumEntries = 2
        var sender = Block2Sender(configuration: config)
        for (i, path) in ["a", "b", "c"].enumerated() {
            var r = getRequest()
            r.uriPath = [path]
            _ = sender.respond(to: r, from: client, with: fullResponse(), now: .seconds(Double(i)))
        }
        #expect(sender.count == 2)
        var a1 = getRequest(block2: BlockOption(number: 1, more: false, szx: 6))
        a1.uriPath = ["a"]
        #expect(sender.cachedResponse(to: a1, from: client, now: .seconds(3)) == nil)   // least recent, dropped
        a1.uriPath = ["c"]
        #expect(sender.cachedResponse(to: a1, from: client, now: .seconds(3)) != nil)
    }

    /// §2.6: a large notification goes out as block 0 with Observe; the client fetches the rest
    /// with plain GETs, answered without Observe.
    @Test func largeNotificationCarriesObserveOnlyOnBlockZero() throws {
        var observers = ObserverList()
        var sender = Block2Sender()
        let registration = getRequest(observe: 0)
        let first = observers.respond(to: registration, from: client, with: fullResponse(), now: .zero).response
        let answer = sender.respond(to: registration, from: client, with: first, now: .zero)
        #expect(answer.observe == 0 && answer.block2?.number == 0 && answer.payload.count == 1024)

        let key = ObserveRelation.Key(peer: client, token: token)
        let changed = body3000.reversed().map { $0 }
        let built = observers.notification(for: key, contentFormat: 11542, payload: changed,
                                           confirmable: true, messageID: 0x900, now: .seconds(5))
        let n = try #require(built)
        let n0 = sender.respond(to: registration, from: client, with: n, now: .seconds(5))
        #expect(n0.observe == 1 && n0.type == .confirmable && n0.messageID == 0x900)
        #expect(n0.block2 == BlockOption(number: 0, more: true, szx: 6) && n0.payload == Array(changed[0..<1024]))
        #expect(n0.eTag != answer.eTag)      // a new representation, a new tag

        var followUp = getRequest(block2: BlockOption(number: 1, more: false, szx: 6))
        followUp.token = Token([0x99])!
        let cached = sender.cachedResponse(to: followUp, from: client, now: .seconds(6))
        let n1 = try #require(cached)
        #expect(n1.observe == nil && n1.token == Token([0x99])!)
        #expect(n1.payload == Array(changed[1024..<2048]) && n1.eTag == n0.eTag)
    }
}

@Suite struct Block2DownloadTests {
    /// 3000 bytes through Block2Sender and Block2Download at every size: block numbers run
    /// 0, 1, 2, ... with M set on all but the last, which holds the remainder.
    @Test(arguments: [
        (UInt8(0), 188, 8), (1, 94, 24), (2, 47, 56), (3, 24, 56), (4, 12, 184), (5, 6, 440), (6, 3, 952),
    ] as [(UInt8, Int, Int)])
    func roundTripAtEverySize(szx: UInt8, blocks: Int, lastLength: Int) throws {
        var sender = Block2Sender()
        var download = Block2Download(request: getRequest(), preferredSzx: szx)
        var request = download.firstRequest
        var numbers: [UInt32] = []
        var lastPayload = 0
        while true {
            let response = try serve(&sender, request)
            numbers.append(response.block2?.number ?? 999)
            lastPayload = response.payload.count
            switch download.receive(response) {
            case .request(let next):
                #expect(next.block2 == BlockOption(number: UInt32(numbers.count), more: false, szx: szx))
                #expect(next.uriPath == ["19", "0", "0"] && next.accept == 11542 && next.token == token)
                #expect(next.messageID == 0)
                request = next
            case .complete(let whole):
                #expect(whole.payload == body3000)
                #expect(whole.block2 == nil && whole.size2 == nil && whole.contentFormat == 11542)
                #expect(numbers == (0..<UInt32(blocks)).map { $0 })
                #expect(lastPayload == lastLength)
                return
            case .duplicate, .failed:
                Issue.record("unexpected step")
                return
            }
        }
    }

    private func block(_ n: UInt32, more: Bool, szx: UInt8 = 6, from body: [UInt8] = body3000,
                       eTag: [UInt8] = [1, 2, 3, 4]) -> Message {
        let (option, bytes) = BlockOption.block(n, szx: szx, of: body)!
        var m = fullResponse(Array(bytes))
        m.block2 = BlockOption(number: n, more: more && option.more, szx: szx)
        m.eTag = eTag
        return m
    }

    @Test func outOfOrderBlockIsAnError() {
        var d = Block2Download(request: getRequest())
        guard case .request = d.receive(block(0, more: true)) else { Issue.record("no next request"); return }
        #expect(d.receive(block(2, more: false)) ==
                .failed(.outOfOrder(expectedOffset: 1024, received: BlockOption(number: 2, more: false, szx: 6))))
    }

    @Test func duplicateBlockIsIgnoredAndTheTransferGoesOn() {
        var d = Block2Download(request: getRequest())
        _ = d.receive(block(0, more: true))
        _ = d.receive(block(1, more: true))
        #expect(d.receive(block(0, more: true)) == .duplicate)
        #expect(d.receive(block(1, more: true)) == .duplicate)
        #expect(d.body.count == 2048)
        guard case .complete(let whole) = d.receive(block(2, more: false)) else { Issue.record("not complete"); return }
        #expect(whole.payload == body3000)
        #expect(d.receive(block(2, more: false)) == .failed(.alreadyComplete))
    }

    @Test func inconsistentBlocksAreErrors() {
        var d = Block2Download(request: getRequest())
        _ = d.receive(block(0, more: true))
        // Same offset, other bytes: not a duplicate.
        #expect(d.receive(block(0, more: true, from: body3000.reversed())) ==
                .failed(.outOfOrder(expectedOffset: 1024, received: BlockOption(number: 0, more: true, szx: 6))))
        #expect(d.receive(block(1, more: true, eTag: [9])) == .failed(.representationChanged))
        var short = block(1, more: true)
        short.payload.removeLast()
        #expect(d.receive(short) == .failed(.wrongBlockLength(BlockOption(number: 1, more: true, szx: 6), length: 1023)))
        #expect(d.receive(fullResponse([1, 2])) == .failed(.missingBlockOption))
        var gone = fullResponse([])
        gone.code = .notFound
        #expect(d.receive(gone) == .failed(.unexpectedResponse(.notFound)))
        #expect(d.body.count == 1024)
    }

    /// When the server picks a smaller size than asked, the client follows it.
    @Test func followsTheServersSize() {
        var d = Block2Download(request: getRequest(), preferredSzx: 6)
        #expect(d.firstRequest.block2 == BlockOption(number: 0, more: false, szx: 6))
        #expect(d.receive(block(0, more: true, szx: 4)) ==
                .request(getRequestFollowUp(BlockOption(number: 1, more: false, szx: 4))))
    }

    private func getRequestFollowUp(_ b: BlockOption) -> Message {
        var r = getRequest(block2: b)
        r.messageID = 0
        return r
    }

    @Test func unblockedOrErrorFirstResponseIsTheAnswer() {
        var d = Block2Download(request: getRequest())
        #expect(d.receive(fullResponse([1, 2, 3])) == .complete(fullResponse([1, 2, 3])))
        var e = Block2Download(request: getRequest())
        var notFound = fullResponse([])
        notFound.code = .notFound
        #expect(e.receive(notFound) == .complete(notFound))
    }

    /// A notification's block 0 starts the download; follow-ups drop Observe (§2.6), and the
    /// whole message keeps the first block's Observe for the Observation to judge.
    @Test func notificationFollowUpsHaveNoObserve() {
        var d = Block2Download(request: getRequest(observe: 0))
        var n0 = block(0, more: true)
        n0.observe = 17
        guard case .request(let next) = d.receive(n0) else { Issue.record("no next request"); return }
        #expect(next.observe == nil && next.block2?.number == 1)
        _ = d.receive(block(1, more: true))
        guard case .complete(let whole) = d.receive(block(2, more: false)) else { Issue.record("not complete"); return }
        #expect(whole.observe == 17 && whole.payload == body3000)
    }

    @Test func bodyLimit() {
        var d = Block2Download(request: getRequest(), maximumBodySize: 2000)
        var b0 = block(0, more: true)
        b0.size2 = 3000
        #expect(d.receive(b0) == .failed(.bodyTooLarge(limit: 2000)))
        var e = Block2Download(request: getRequest(), maximumBodySize: 2000)
        _ = e.receive(block(0, more: true))
        #expect(e.receive(block(1, more: true)) == .failed(.bodyTooLarge(limit: 2000)))
    }

    @Test func representationChangeMidTransferIsCaught() throws {
        var sender = Block2Sender()
        var d = Block2Download(request: getRequest())
        guard case .request(let next) = d.receive(try serve(&sender, d.firstRequest)) else {
            Issue.record("no next request"); return
        }
        // The resource changes and the kept copy is gone: the sender cuts the new one.
        sender.expire(now: .seconds(1000))
        let changed = body3000.map { $0 ^ 0xFF }
        #expect(d.receive(try serve(&sender, next, body: changed)) == .failed(.representationChanged))
    }
}
