import Testing
@testable import CoAP

private let client = PeerAddress(host: "10.0.0.9", port: 40000)
private let token = Token([0x51])!
private let body3000 = (0..<3000).map { UInt8(($0 * 7) % 253) }

private func putRequest(_ body: [UInt8] = body3000, path: [String] = ["19", "1", "0"]) -> Message {
    var m = Message(type: .confirmable, code: .put, messageID: 0x300, token: token, payload: body)
    m.uriPath = path
    m.contentFormat = 11542
    return m
}

private func block(_ n: UInt32, szx: UInt8 = 6, of body: [UInt8] = body3000, path: [String] = ["19", "1", "0"]) -> Message {
    let (option, bytes) = BlockOption.block(n, szx: szx, of: body)!
    var m = putRequest(Array(bytes), path: path)
    m.messageID = 0x300 + UInt16(n)
    m.block1 = option
    if n == 0 { m.size1 = UInt32(body.count) }
    return m
}

private func reply(_ code: Code, block1: BlockOption? = nil) -> Message {
    var m = Message(type: .acknowledgement, code: code, messageID: 0, token: token)
    m.block1 = block1
    return m
}

@Suite struct Block1UploadTests {
    @Test func sendsBlocksAndAdvancesOnContinue() {
        var up = Block1Upload(request: putRequest())
        let first = up.firstRequest
        #expect(first.block1 == BlockOption(number: 0, more: true, szx: 6))
        #expect(first.size1 == 3000 && first.payload == Array(body3000[0..<1024]))
        #expect(first.uriPath == ["19", "1", "0"] && first.contentFormat == 11542 && first.token == token)
        #expect(first.messageID == 0)

        guard case .request(let second) = up.receive(reply(.continue, block1: .init(number: 0, more: true, szx: 6))) else {
            Issue.record("no second block"); return
        }
        #expect(second.block1 == BlockOption(number: 1, more: true, szx: 6))
        #expect(second.block1?.uintValue == 0x1E)
        #expect(second.size1 == nil && second.payload == Array(body3000[1024..<2048]))
        guard case .request(let third) = up.receive(reply(.continue, block1: .init(number: 1, more: true, szx: 6))) else {
            Issue.record("no third block"); return
        }
        #expect(third.block1 == BlockOption(number: 2, more: false, szx: 6) && third.payload.count == 952)
        let done = reply(.changed, block1: .init(number: 2, more: false, szx: 6))
        #expect(up.receive(done) == .complete(done))
        #expect(up.isComplete && up.receive(done) == .failed(.alreadyComplete))
    }

    @Test func smallBodyGoesOutWhole() {
        var up = Block1Upload(request: putRequest(Array(repeating: 1, count: 1024)))
        #expect(up.firstRequest.block1 == nil && up.firstRequest.size1 == nil && up.firstRequest.payload.count == 1024)
        #expect(up.receive(reply(.changed)) == .complete(reply(.changed)))
    }

    /// RFC 7959 §3.3: 1:0/1/128 answered by 2.31 with 1:0/1/32 continues with 1:4/1/32.
    @Test func shrinksToTheServersPreferredSize() {
        var up = Block1Upload(request: putRequest(Array(repeating: 5, count: 600)), szx: 3)
        #expect(up.firstRequest.block1 == BlockOption(number: 0, more: true, szx: 3))
        guard case .request(let next) = up.receive(reply(.continue, block1: .init(number: 0, more: true, szx: 1))) else {
            Issue.record("no next block"); return
        }
        #expect(next.block1 == BlockOption(number: 4, more: true, szx: 1))
        #expect(next.payload.count == 32 && up.acknowledged == 128 && up.szx == 1)
    }

    @Test func restartsTheBlockWhenTooLargeNamesASmallerSize() {
        var up = Block1Upload(request: putRequest())
        guard case .request(let retry) = up.receive(reply(.requestEntityTooLarge, block1: .init(number: 0, more: false, szx: 4))) else {
            Issue.record("no retry"); return
        }
        #expect(retry.block1 == BlockOption(number: 0, more: true, szx: 4) && retry.payload.count == 256)
        #expect(retry.size1 == 3000)
        // A 4.13 with no smaller size is the final answer.
        var other = Block1Upload(request: putRequest())
        var tooLarge = reply(.requestEntityTooLarge)
        tooLarge.size1 = 2048
        #expect(other.receive(tooLarge) == .complete(tooLarge))
    }

    @Test func inconsistentAnswersAreErrors() {
        var up = Block1Upload(request: putRequest())
        #expect(up.receive(reply(.continue, block1: .init(number: 1, more: true, szx: 6))) ==
                .failed(.outOfOrder(expectedOffset: 0, received: BlockOption(number: 1, more: true, szx: 6))))
        #expect(up.receive(reply(.continue)) == .failed(.missingBlockOption))
        // A final success to block 0 of 3: the server took a fragment for the whole.
        #expect(up.receive(reply(.changed)) == .failed(.unexpectedResponse(.changed)))

        var last = Block1Upload(request: putRequest(Array(repeating: 0, count: 1500)))
        _ = last.receive(reply(.continue, block1: .init(number: 0, more: true, szx: 6)))
        #expect(last.receive(reply(.continue, block1: .init(number: 1, more: true, szx: 6))) ==
                .failed(.unexpectedResponse(.continue)))
        let incomplete = reply(.requestEntityIncomplete)
        #expect(last.receive(incomplete) == .complete(incomplete))
    }
}

@Suite struct Block1ReceiverTests {
    @Test func reassemblesAndAnswersContinue() {
        var rx = Block1Receiver()
        guard case .answer(let c0) = rx.receive(block(0), from: client, now: .zero) else { Issue.record("no 2.31"); return }
        #expect(c0.code == .continue && c0.block1 == BlockOption(number: 0, more: true, szx: 6))
        #expect(c0.type == .acknowledgement && c0.messageID == 0x300 && c0.token == token)
        guard case .answer(let c1) = rx.receive(block(1), from: client, now: .zero) else { Issue.record("no 2.31"); return }
        #expect(c1.code == .continue && c1.block1?.uintValue == 0x1E)
        #expect(rx.count == 1)
        guard case .deliver(let whole, let ack) = rx.receive(block(2), from: client, now: .zero) else {
            Issue.record("not delivered"); return
        }
        #expect(whole.payload == body3000 && whole.block1 == nil && whole.size1 == nil)
        #expect(whole.code == .put && whole.uriPath == ["19", "1", "0"] && whole.contentFormat == 11542)
        #expect(ack == BlockOption(number: 2, more: false, szx: 6))
        #expect(rx.count == 0)
    }

    @Test func unblockedAndSingleBlockRequestsPassThrough() {
        var rx = Block1Receiver()
        let plain = putRequest([1, 2, 3])
        #expect(rx.receive(plain, from: client, now: .zero) == .deliver(plain, block1: nil))
        var single = putRequest([1, 2, 3])
        single.block1 = BlockOption(number: 0, more: false, szx: 6)
        #expect(rx.receive(single, from: client, now: .zero) ==
                .deliver(putRequest([1, 2, 3]), block1: BlockOption(number: 0, more: false, szx: 6)))
    }

    @Test func outOfOrderBlockIsRequestEntityIncomplete() {
        var rx = Block1Receiver()
        guard case .answer(let none) = rx.receive(block(1), from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(none.code == .requestEntityIncomplete)
        _ = rx.receive(block(0), from: client, now: .zero)
        guard case .answer(let skip) = rx.receive(block(2), from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(skip.code == .requestEntityIncomplete && skip.code.description == "4.08")
        // The transfer survives: block 1 still continues it.
        guard case .answer(let c1) = rx.receive(block(1), from: client, now: .zero) else { Issue.record("no 2.31"); return }
        #expect(c1.code == .continue)
    }

    @Test func duplicateBlockIsAnsweredAgainWithoutChange() {
        var rx = Block1Receiver()
        _ = rx.receive(block(0), from: client, now: .zero)
        let again = rx.receive(block(0), from: client, now: .zero)       // block 0 restarts: same state
        _ = rx.receive(block(1), from: client, now: .zero)
        guard case .answer(let dup) = rx.receive(block(1), from: client, now: .zero) else { Issue.record("delivered"); return }
        #expect(dup.code == .continue && dup.block1?.number == 1)
        guard case .answer(let c0) = again else { Issue.record("delivered"); return }
        #expect(c0.block1?.number == 0)
        guard case .deliver(let whole, _) = rx.receive(block(2), from: client, now: .zero) else { Issue.record("not delivered"); return }
        #expect(whole.payload == body3000)
    }

    @Test func tooLargeIsAnsweredWithSize1() {
        var config = Block1Receiver.Configuration()
        config.maximumBodySize = 2048
        var rx = Block1Receiver(configuration: config)
        guard case .answer(let announced) = rx.receive(block(0), from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(announced.code == .requestEntityTooLarge && announced.size1 == 2048)
        #expect(rx.count == 0)
        // Without Size1 the limit is found when the blocks pile up.
        var b0 = block(0)
        b0.size1 = nil
        _ = rx.receive(b0, from: client, now: .zero)
        _ = rx.receive(block(1), from: client, now: .zero)
        guard case .answer(let late) = rx.receive(block(2), from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(late.code == .requestEntityTooLarge && late.size1 == 2048)
        #expect(rx.count == 0)
        guard case .answer(let whole) = rx.receive(putRequest(), from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(whole.code == .requestEntityTooLarge)
    }

    @Test func malformedBlocksAreBadRequests() {
        var rx = Block1Receiver()
        var short = block(0)
        short.payload.removeLast()
        guard case .answer(let a) = rx.receive(short, from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(a.code == .badRequest)
        var reserved = putRequest([1])
        reserved.set(.block1, [[0x0F]])
        guard case .answer(let b) = rx.receive(reserved, from: client, now: .zero) else { Issue.record("accepted"); return }
        #expect(b.code == .badRequest)
    }

    /// Idle transfers expire at exactly `lifetime` after their last block, in virtual time.
    @Test func incompleteTransfersExpire() {
        var rx = Block1Receiver()
        _ = rx.receive(block(0), from: client, now: .seconds(1))
        _ = rx.receive(block(1), from: client, now: .seconds(2))
        #expect(rx.nextDeadline == .seconds(2) + 247_000)
        rx.expire(now: .seconds(2) + 246_999)
        #expect(rx.count == 1)
        rx.expire(now: .seconds(2) + 247_000)
        #expect(rx.count == 0 && rx.nextDeadline == nil)
        guard case .answer(let late) = rx.receive(block(2), from: client, now: .seconds(300)) else { Issue.record("delivered"); return }
        #expect(late.code == .requestEntityIncomplete)
    }

    @Test func boundedNumberOfTransfers() {
        var config = Block1Receiver.Configuration()
        config.maximumTransfers = 2
        var rx = Block1Receiver(configuration: config)
        for (i, path) in ["a", "b", "c"].enumerated() {
            _ = rx.receive(block(0, path: [path]), from: client, now: .seconds(Double(i)))
        }
        #expect(rx.count == 2)
        guard case .answer(let a) = rx.receive(block(1, path: ["a"]), from: client, now: .seconds(3)) else { Issue.record("x"); return }
        #expect(a.code == .requestEntityIncomplete)        // the oldest was dropped
        guard case .answer(let c) = rx.receive(block(1, path: ["c"]), from: client, now: .seconds(3)) else { Issue.record("x"); return }
        #expect(c.code == .continue)
        // Another peer on the same path is another transfer.
        let other = PeerAddress(host: "10.0.0.10", port: 40000)
        guard case .answer(let o) = rx.receive(block(1, path: ["c"]), from: other, now: .seconds(3)) else { Issue.record("x"); return }
        #expect(o.code == .requestEntityIncomplete)
    }
}

@Suite struct Block1RoundTripTests {
    /// 3000 bytes through Block1Upload and Block1Receiver, over the codec, at every size.
    @Test(arguments: [
        (UInt8(0), 188, 8), (1, 94, 24), (2, 47, 56), (3, 24, 56), (4, 12, 184), (5, 6, 440), (6, 3, 952),
    ] as [(UInt8, Int, Int)])
    func roundTripAtEverySize(szx: UInt8, blocks: Int, lastLength: Int) throws {
        let (numbers, lastPayload, delivered) = try run(upload: szx, receiverLargest: 6)
        #expect(numbers == (0..<UInt32(blocks)).map { $0 })
        #expect(lastPayload == lastLength)
        #expect(delivered == body3000)
    }

    /// The receiver wants 256-byte blocks; the client starts with 1024: after block 0 it
    /// continues with block 4 of 256 bytes, eight more blocks for the remaining 1976 bytes.
    @Test func receiverPreferenceShrinksTheBlocks() throws {
        let (numbers, lastPayload, delivered) = try run(upload: 6, receiverLargest: 4)
        #expect(numbers == [0] + (4...11).map { UInt32($0) })
        #expect(lastPayload == 1976 - 7 * 256)
        #expect(delivered == body3000)
    }

    private func run(upload szx: UInt8, receiverLargest: UInt8) throws -> ([UInt32], Int, [UInt8]) {
        var config = Block1Receiver.Configuration()
        config.largestSzx = receiverLargest
        var rx = Block1Receiver(configuration: config)
        var up = Block1Upload(request: putRequest(), szx: szx)
        var request = up.firstRequest
        var numbers: [UInt32] = []
        var lastPayload = 0
        for _ in 0..<400 {
            let wire = try Message(decoding: request.encoded())
            numbers.append(wire.block1?.number ?? 999)
            lastPayload = wire.payload.count
            var response: Message
            var delivered: [UInt8]? = nil
            switch rx.receive(wire, from: client, now: .zero) {
            case .answer(let a): response = a
            case .deliver(let whole, let ack):
                delivered = whole.payload
                response = reply(.changed, block1: ack)
            }
            switch up.receive(try Message(decoding: response.encoded())) {
            case .request(let next): request = next
            case .complete(let final):
                #expect(final.code == .changed)
                return (numbers, lastPayload, delivered ?? [])
            case .failed(let e):
                Issue.record("failed: \(e)")
                return (numbers, lastPayload, [])
            }
        }
        Issue.record("never finished")
        return (numbers, lastPayload, [])
    }
}
