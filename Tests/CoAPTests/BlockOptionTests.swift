import Testing
@testable import CoAP

/// Golden Block option values (RFC 7959 §2.2), worked out by hand. The value is the uint
/// NUM << 4 | M << 3 | SZX, sent in the fewest bytes (0 to 3): NUM fits 4 bits in one byte,
/// 12 bits in two, 20 bits in three; the block size is 2^(SZX+4).
@Suite struct BlockOptionTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var num: UInt32, more: Bool, szx: UInt8, value: UInt32, bytes: [UInt8], why: String
        var testDescription: String { why }
    }

    static let golden: [Golden] = [
        Golden(num: 0, more: false, szx: 0, value: 0x00, bytes: [], why: "all zero: the empty value"),
        Golden(num: 0, more: true, szx: 6, value: 0x0E, bytes: [0x0E], why: "first of many 1024-byte blocks"),
        Golden(num: 1, more: true, szx: 6, value: 0x1E, bytes: [0x1E], why: "1<<4 | 8 | 6"),
        Golden(num: 1, more: true, szx: 3, value: 0x1B, bytes: [0x1B], why: "RFC 7959 §3's 2:1/1/128"),
        Golden(num: 2, more: false, szx: 2, value: 0x22, bytes: [0x22], why: "last block, 64 bytes"),
        Golden(num: 15, more: false, szx: 2, value: 0xF2, bytes: [0xF2], why: "the largest 1-byte NUM"),
        Golden(num: 16, more: true, szx: 6, value: 0x10E, bytes: [0x01, 0x0E], why: "NUM 16 needs a second byte"),
        Golden(num: 4095, more: false, szx: 0, value: 0xFFF0, bytes: [0xFF, 0xF0], why: "the largest 2-byte NUM"),
        Golden(num: 4096, more: false, szx: 0, value: 0x1_0000, bytes: [0x01, 0x00, 0x00], why: "NUM 4096 needs a third"),
        Golden(num: (1 << 20) - 1, more: true, szx: 6, value: 0xFF_FFFE, bytes: [0xFF, 0xFF, 0xFE], why: "the largest NUM"),
    ]

    @Test(arguments: golden)
    func goldenValues(_ g: Golden) {
        let b = BlockOption(number: g.num, more: g.more, szx: g.szx)
        #expect(b.uintValue == g.value)
        #expect(Option(.block2, uint: b.uintValue).value == g.bytes)
        #expect(BlockOption(uintValue: g.value) == b)
    }

    @Test func sizesAndOffsets() {
        #expect((0...6).map { BlockOption(number: 0, more: false, szx: UInt8($0)).size } == [16, 32, 64, 128, 256, 512, 1024])
        #expect(BlockOption(number: 3, more: false, szx: 4).offset == 768)
        #expect(BlockOption.szx(forSize: 1024) == 6 && BlockOption.szx(forSize: 1000) == 5 && BlockOption.szx(forSize: 1) == 0)
    }

    @Test func rejectsReservedExponentAndOverlongValues() {
        #expect(BlockOption(uintValue: 0x0F) == nil)          // SZX 7 (BERT) is not for UDP
        #expect(BlockOption(uintValue: 0xFF_FFFF) == nil)
        #expect(BlockOption(uintValue: 0x100_0000) == nil)     // 4 bytes
        // A message whose Block2 is 4 bytes long reads as no usable Block2.
        let m = Message(type: .confirmable, code: .get, options: [Option(.block2, [1, 0, 0, 0x06])])
        #expect(m.block2 == nil && m.first(.block2) != nil)
    }

    /// CON GET /large, mid 0x1234, no token, Block2 1/0/64, byte by byte:
    /// 40 01 12 34 | B5 "large" (delta 11, length 5) | C1 12 (delta 23-11=12, length 1, 1<<4|0|2).
    @Test func goldenRequestBytes() throws {
        var m = Message(type: .confirmable, code: .get, messageID: 0x1234)
        m.uriPath = ["large"]
        m.block2 = BlockOption(number: 1, more: false, szx: 2)
        let bytes: [UInt8] = [0x40, 0x01, 0x12, 0x34, 0xB5, 0x6C, 0x61, 0x72, 0x67, 0x65, 0xC1, 0x12]
        #expect(m.encoded() == bytes)
        #expect(try Message(decoding: bytes).block2 == BlockOption(number: 1, more: false, szx: 2))
        // Block1 (27) after Block2 (23): delta 4. Block1 0/1/1024 = 0x0E, Size1 (60) = 3000 = 0x0BB8,
        // delta 33 → nibble 13 + extended byte 20.
        m.block1 = BlockOption(number: 0, more: true, szx: 6)
        m.size1 = 3000
        #expect(Array(m.encoded().suffix(8)) == [0xC1, 0x12, 0x41, 0x0E, 0xD2, 0x14, 0x0B, 0xB8])
    }

    @Test func cuttingABody() throws {
        let body = (0..<100).map { UInt8($0) }
        #expect(BlockOption.blockCount(bodyLength: 100, szx: 0) == 7)
        #expect(BlockOption.blockCount(bodyLength: 96, szx: 0) == 6)
        #expect(BlockOption.blockCount(bodyLength: 0, szx: 6) == 1)
        let last = try #require(BlockOption.block(6, szx: 0, of: body))
        #expect(last.option == BlockOption(number: 6, more: false, szx: 0))
        #expect(Array(last.bytes) == [96, 97, 98, 99])
        let middle = try #require(BlockOption.block(1, szx: 1, of: body))
        #expect(middle.option.more && Array(middle.bytes) == Array(32..<64).map { UInt8($0) })
        #expect(BlockOption.block(7, szx: 0, of: body) == nil)          // starts past the end
        #expect(BlockOption.block(0, szx: 6, of: [])?.bytes.isEmpty == true)
        #expect(BlockOption.block(0, szx: 7, of: body) == nil)
    }

    /// §2.3: block 1 of 1024 bytes is the same offset as block 4 of 256 bytes.
    @Test func rescaling() {
        let b = BlockOption(number: 1, more: false, szx: 6)
        #expect(b.rescaled(toSzx: 4) == BlockOption(number: 4, more: false, szx: 4))
        #expect(b.rescaled(toSzx: 4).offset == b.offset)
        #expect(b.rescaled(toSzx: 6) == b)
        #expect(BlockOption(number: 3, more: true, szx: 2).rescaled(toSzx: 0) == BlockOption(number: 12, more: true, szx: 0))
    }

    @Test func lengthRule() {
        let more = BlockOption(number: 0, more: true, szx: 2)
        #expect(more.fits(payloadLength: 64) && !more.fits(payloadLength: 63) && !more.fits(payloadLength: 65))
        let last = BlockOption(number: 3, more: false, szx: 2)
        #expect(last.fits(payloadLength: 1) && last.fits(payloadLength: 64) && !last.fits(payloadLength: 65))
    }
}
