import Testing
@testable import CoAP

/// Encode → decode → compare, for every option LwM2M uses and for the boundaries of the option
/// header's extended delta and length fields (RFC 7252 §3.1).
@Suite struct MessageRoundTripTests {
    private func roundTrip(_ m: Message, sourceLocation: SourceLocation = #_sourceLocation) throws -> Message {
        let bytes = m.encoded()
        #expect(bytes.count == m.encodedCount, sourceLocation: sourceLocation)
        let back = try Message(decoding: bytes)
        #expect(back == m, sourceLocation: sourceLocation)
        #expect(back.encoded() == bytes, sourceLocation: sourceLocation)
        return back
    }

    @Test func uriOptions() throws {
        var m = Message(type: .confirmable, code: .post, messageID: 0xBEEF, token: Token([1, 2, 3])!)
        m.uriHost = "lwm.home.komect.com"
        m.uriPort = 5683
        m.uriPath = ["rd", "5a3f"]
        m.uriQuery = ["ep=867724030023557", "lt=300", "lwm2m=1.0", "b=U"]
        let back = try roundTrip(m)
        #expect(back.uriHost == "lwm.home.komect.com")
        #expect(back.uriPort == 5683)
        #expect(back.uriPath == ["rd", "5a3f"])
        #expect(back.uriQuery == ["ep=867724030023557", "lt=300", "lwm2m=1.0", "b=U"])
        #expect(back.path == "/rd/5a3f")
        #expect(back.options.map(\.number) == [.uriHost, .uriPort, .uriPath, .uriPath,
                                              .uriQuery, .uriQuery, .uriQuery, .uriQuery])
    }

    @Test func locationPath() throws {
        var m = Message(type: .acknowledgement, code: .created, messageID: 7)
        m.locationPath = ["rd", "Ys2f0"]
        #expect(try roundTrip(m).locationPath == ["rd", "Ys2f0"])
    }

    @Test(arguments: [0, 1, 40, 42, 60, 110, 112, 255, 256, 11542, 11543, 65535] as [UInt32])
    func contentFormatAndAccept(_ format: UInt32) throws {
        var m = Message(type: .confirmable, code: .get, messageID: 1, token: Token([9])!)
        m.accept = format
        m.contentFormat = format
        let back = try roundTrip(m)
        #expect(back.contentFormat == format)
        #expect(back.accept == format)
        // Shortest uint form (RFC 7252 §3.2): 0 has no bytes, 255 one, 256 two.
        let expectedLength = format == 0 ? 0 : (format < 256 ? 1 : 2)
        #expect(back.first(.contentFormat)?.value.count == expectedLength)
    }

    @Test(arguments: [0, 1, 12, 255, 256, 65535, 65536, 0xFF_FFFF] as [UInt32])
    func observe(_ value: UInt32) throws {
        var m = Message(type: .nonConfirmable, code: .content, messageID: 2, token: Token([0xAA, 0xBB])!)
        m.observe = value
        #expect(try roundTrip(m).observe == value)
    }

    @Test func blockOptions() throws {
        var m = Message(type: .confirmable, code: .put, messageID: 3, token: Token([1])!)
        m.block1 = BlockOption(number: 4095, more: true, szx: 6)
        m.block2 = BlockOption(number: 0, more: false, szx: 2)
        m.size1 = 1_048_576
        m.size2 = 0
        let back = try roundTrip(m)
        #expect(back.block1 == BlockOption(number: 4095, more: true, szx: 6))
        #expect(back.block2 == BlockOption(number: 0, more: false, szx: 2))
        #expect(back.size1 == 1_048_576)
        #expect(back.size2 == 0)
        #expect(back.block1?.offset == 4095 * 1024)
    }

    @Test func eTagAndMaxAge() throws {
        var m = Message(type: .acknowledgement, code: .content, messageID: 4, token: Token([1, 2])!)
        m.eTag = [0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3]
        m.maxAge = 86_400
        let back = try roundTrip(m)
        #expect(back.eTag == [0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3])
        #expect(back.maxAge == 86_400)
    }

    @Test func everyLwM2MOptionAtOnce() throws {
        var m = Message(type: .confirmable, code: .post, messageID: 0xFFFF,
                        token: Token([1, 2, 3, 4, 5, 6, 7, 8])!, payload: Array("</1/0>,</3/0>".utf8))
        m.size1 = 2048
        m.uriQuery = ["ep=x"]
        m.observe = 0
        m.block2 = BlockOption(number: 2, more: false, szx: 6)
        m.uriPath = ["rd"]
        m.contentFormat = 40
        m.uriHost = "h"
        m.accept = 11542
        m.eTag = [1]
        m.block1 = BlockOption(number: 1, more: true, szx: 6)
        m.size2 = 3000
        m.maxAge = 60
        m.uriPort = 5683
        m.locationPath = ["rd", "1"]
        let back = try roundTrip(m)
        #expect(back.options.map(\.number.rawValue) == [3, 4, 6, 7, 8, 8, 11, 12, 14, 15, 17, 23, 27, 28, 60])
        #expect(back.payload == Array("</1/0>,</3/0>".utf8))
    }

    @Test(arguments: 0...8)
    func tokenLengths(_ length: Int) throws {
        let bytes = (0..<length).map { UInt8(0xF0 + $0) }
        let m = Message(type: .confirmable, code: .get, messageID: 9, token: Token(bytes)!, payload: [1])
        let encoded = m.encoded()
        #expect(encoded[0] == 0x40 | UInt8(length))
        #expect(Array(encoded[4..<(4 + length)]) == bytes)
        #expect(try roundTrip(m).token.bytes == bytes)
    }

    /// Option numbers placed so that each delta hits a boundary of the 4-bit, 8-bit extended and
    /// 16-bit extended forms: 12 | 13, 268 | 269, and the largest number.
    @Test(arguments: [
        (12, 0xC0 as UInt8, [] as [UInt8]),
        (13, 0xD0, [0x00]),
        (268, 0xD0, [0xFF]),
        (269, 0xE0, [0x00, 0x00]),
        (270, 0xE0, [0x00, 0x01]),
        (65535, 0xE0, [0xFE, 0xF2]), // 65535 − 269 = 65266 = 0xFEF2
    ])
    func extendedDelta(_ number: Int, _ head: UInt8, _ extended: [UInt8]) throws {
        let m = Message(type: .nonConfirmable, code: .get, messageID: 5,
                        options: [Option(OptionNumber(UInt16(number)), [])])
        let encoded = m.encoded()
        #expect(Array(encoded[4...]) == [head] + extended)
        #expect(try roundTrip(m).options == [Option(OptionNumber(UInt16(number)), [])])
    }

    @Test(arguments: [
        (12, 0x0C as UInt8, [] as [UInt8]),
        (13, 0x0D, [0x00]),
        (268, 0x0D, [0xFF]),
        (269, 0x0E, [0x00, 0x00]),
        (1034, 0x0E, [0x02, 0xFD]), // 1034 − 269 = 765 = 0x02FD
    ])
    func extendedLength(_ length: Int, _ head: UInt8, _ extended: [UInt8]) throws {
        let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let m = Message(type: .nonConfirmable, code: .content, messageID: 6,
                        options: [Option(OptionNumber(0), value)], payload: [0x42])
        let encoded = m.encoded()
        #expect(Array(encoded[4..<(5 + extended.count)]) == [head] + extended)
        #expect(encoded.count == 4 + 1 + extended.count + length + 2)
        #expect(try roundTrip(m).options.first?.value == value)
    }

    @Test func deltaAndLengthBothExtended() throws {
        let value = [UInt8](repeating: 0x5A, count: 300)
        let m = Message(type: .confirmable, code: .put, messageID: 8,
                        options: [Option(.uriPath, string: "a"), Option(OptionNumber(2000), value),
                                  Option(OptionNumber(65535), [1])])
        let back = try roundTrip(m)
        #expect(back.options.map(\.number.rawValue) == [11, 2000, 65535])
        #expect(back.first(OptionNumber(2000))?.value == value)
    }

    @Test func emptyMessagesAndPayloadOnly() throws {
        for type in MessageType.allCases {
            let empty = Message(type: type, code: .empty, messageID: 0x0102)
            #expect(empty.encoded() == [0x40 | type.rawValue << 4, 0x00, 0x01, 0x02])
            _ = try roundTrip(empty)
        }
        _ = try roundTrip(Message(type: .nonConfirmable, code: .content, messageID: 1, payload: [0xFF]))
        _ = try roundTrip(Message(type: .nonConfirmable, code: .content, messageID: 1,
                                  payload: [UInt8](repeating: 1, count: 1500)))
    }

    @Test func decodingFromSliceAndOtherCollections() throws {
        let m = Message(type: .confirmable, code: .get, messageID: 77, token: Token([5, 6])!,
                        options: [Option(.uriPath, string: "3"), Option(.uriPath, string: "0")], payload: [1, 2])
        let framed = [0xAA, 0xBB] + m.encoded() + [0xCC]
        #expect(try Message(decoding: framed[2..<(framed.count - 1)]) == m)
        #expect(try Message(decoding: ContiguousArray(m.encoded())) == m)
        #expect(try Message(decoding: m.encoded().dropFirst(0)) == m)
    }
}
