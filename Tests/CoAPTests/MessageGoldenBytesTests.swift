import Testing
@testable import CoAP

/// Byte vectors written out by hand from the formats in RFC 7252 §3 (header: Ver=01, T, TKL in
/// the first byte; Code `c.dd` as 3+5 bits; Message ID big-endian; §3.1 option header nibbles
/// Delta|Length with 13 → +1 byte − 13, 14 → +2 bytes − 269; 0xFF payload marker) and the option
/// values of RFC 7641 §2 (Observe, uint) and RFC 7959 §2.2 (Block: NUM << 4 | M << 3 | SZX).
/// Each vector is checked both ways: encoding gives these bytes, decoding them gives the message.
@Suite struct MessageGoldenBytesTests {
    private func check(_ m: Message, _ golden: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(m.encoded() == golden, sourceLocation: sourceLocation)
        #expect(try Message(decoding: golden) == m, sourceLocation: sourceLocation)
    }

    private func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// RFC 7252 Appendix A, first figure: CON [0x7d34] GET /temperature, no token.
    /// 0x40 = Ver 1, T 0 (CON), TKL 0; 0x01 = GET; 0xBB = Uri-Path (delta 11), length 11.
    @Test func getTemperature() throws {
        var m = Message(type: .confirmable, code: .get, messageID: 0x7D34)
        m.uriPath = ["temperature"]
        try check(m, [0x40, 0x01, 0x7D, 0x34, 0xBB] + ascii("temperature"))
    }

    /// Its piggybacked answer: ACK [0x7d34] 2.05 "22.3 C". 0x60 = Ver 1, T 2 (ACK);
    /// 0x45 = 2.05 (2 << 5 | 5); 0xFF then the payload.
    @Test func piggybackedContent() throws {
        let m = Message(type: .acknowledgement, code: .content, messageID: 0x7D34, payload: ascii("22.3 C"))
        try check(m, [0x60, 0x45, 0x7D, 0x34, 0xFF] + ascii("22.3 C"))
    }

    /// Empty messages (RFC 7252 §4.1): ping (CON 0.00), empty ACK, RST; 4 bytes each.
    @Test func emptyMessages() throws {
        try check(Message(type: .confirmable, code: .empty, messageID: 0xABCD), [0x40, 0x00, 0xAB, 0xCD])
        try check(Message(type: .acknowledgement, code: .empty, messageID: 0x0001), [0x60, 0x00, 0x00, 0x01])
        try check(Message(type: .reset, code: .empty, messageID: 0xFFFF), [0x70, 0x00, 0xFF, 0xFF])
    }

    /// LwM2M Observe on /19/0/0 (RFC 7641 §2: Observe 0 = register, a zero-length uint).
    /// 0x42 = CON, TKL 2; Observe is option 6: 0x60 (delta 6, length 0); Uri-Path 11: delta 5.
    @Test func observeRegistration() throws {
        var m = Message(type: .confirmable, code: .get, messageID: 0x0010, token: Token([0x4A, 0x7E])!)
        m.uriPath = ["19", "0", "0"]
        m.observe = 0
        try check(m, [0x42, 0x01, 0x00, 0x10, 0x4A, 0x7E,
                      0x60,
                      0x52, 0x31, 0x39,
                      0x01, 0x30,
                      0x01, 0x30])
    }

    /// The benchmark's notification: NON 2.05, 4-byte token, Observe 12, Content-Format 42
    /// (octet stream), 9 bytes. 0x54 = Ver 1, T 1 (NON), TKL 4; Observe 0x61 0x0C; Content-Format
    /// (12) is delta 6 from Observe: 0x61 0x2A.
    @Test func observeNotification() throws {
        var m = Message(type: .nonConfirmable, code: .content, messageID: 0x1234,
                        token: Token([0xDE, 0xAD, 0xBE, 0xEF])!, payload: ascii("123456789"))
        m.observe = 12
        m.contentFormat = 42
        try check(m, [0x54, 0x45, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF,
                      0x61, 0x0C,
                      0x61, 0x2A,
                      0xFF] + ascii("123456789"))
    }

    /// The LwM2M Register: CON POST /rd?ep=867724030023557&lt=300&lwm2m=1.0&b=U with
    /// Content-Format 40 (link format). Uri-Path "rd": 0xB2; Content-Format: delta 1, 0x11 0x28;
    /// the first Uri-Query is delta 3 and 18 bytes long, so its length nibble is 13 with the
    /// extended byte 18 − 13 = 5: 0x3D 0x05; the next queries repeat option 15 (delta 0).
    @Test func lwm2mRegister() throws {
        let links = ascii("</1/0>,</3/0>,</4/0>,</5/0>,</19/0>,</19/1>")
        var m = Message(type: .confirmable, code: .post, messageID: 0x4321,
                        token: Token([0x01, 0x02, 0x03, 0x04])!, payload: links)
        m.uriPath = ["rd"]
        m.uriQuery = ["ep=867724030023557", "lt=300", "lwm2m=1.0", "b=U"]
        m.contentFormat = 40
        let golden: [UInt8] = [0x44, 0x02, 0x43, 0x21, 0x01, 0x02, 0x03, 0x04]
            + [0xB2] + ascii("rd")
            + [0x11, 0x28]
            + [0x3D, 0x05] + ascii("ep=867724030023557")
            + [0x06] + ascii("lt=300")
            + [0x09] + ascii("lwm2m=1.0")
            + [0x03] + ascii("b=U")
            + [0xFF] + links
        try check(m, golden)
        #expect(golden.count == 8 + 3 + 2 + 20 + 7 + 10 + 4 + 1 + 43)
    }

    /// The Register's answer: ACK 2.01 Created with Location-Path rd/5a3f (option 8).
    @Test func registerCreated() throws {
        var m = Message(type: .acknowledgement, code: .created, messageID: 0x4321,
                        token: Token([0x01, 0x02, 0x03, 0x04])!)
        m.locationPath = ["rd", "5a3f"]
        try check(m, [0x64, 0x41, 0x43, 0x21, 0x01, 0x02, 0x03, 0x04,
                      0x82] + ascii("rd") + [0x04] + ascii("5a3f"))
    }

    /// A Block1 upload (RFC 7959 §2.2, §4): CON PUT /fw, Block1 2/0/1024 → value
    /// 2 << 4 | 0 << 3 | 6 = 0x26; option 27 is delta 16 after Uri-Path: 0xD1 0x03. Size1 1280
    /// (0x0500) is option 60, delta 33: 0xD2 0x14 0x05 0x00.
    @Test func block1WithSize1() throws {
        var m = Message(type: .confirmable, code: .put, messageID: 0x1236, payload: [0xAB])
        m.uriPath = ["fw"]
        m.block1 = BlockOption(number: 2, more: false, szx: 6)
        m.size1 = 1280
        try check(m, [0x40, 0x03, 0x12, 0x36,
                      0xB2] + ascii("fw") + [
                      0xD1, 0x03, 0x26,
                      0xD2, 0x14, 0x05, 0x00,
                      0xFF, 0xAB])
    }

    /// A Block2 download answer: ACK 2.05 with ETag 5AA5, Max-Age 60, Block2 1/1/128
    /// (1 << 4 | 1 << 3 | 3 = 0x1B) and Size2 300 (0x012C). ETag 0x42; Max-Age (14) delta 10:
    /// 0xA1 0x3C; Block2 (23) delta 9: 0x91; Size2 (28) delta 5, 2 bytes: 0x52.
    @Test func block2WithETagMaxAgeSize2() throws {
        var m = Message(type: .acknowledgement, code: .content, messageID: 0x0BAD, token: Token([0x77])!,
                        payload: [UInt8](repeating: 0x2E, count: 128))
        m.eTag = [0x5A, 0xA5]
        m.maxAge = 60
        m.block2 = BlockOption(number: 1, more: true, size: 128)
        m.size2 = 300
        try check(m, [0x61, 0x45, 0x0B, 0xAD, 0x77,
                      0x42, 0x5A, 0xA5,
                      0xA1, 0x3C,
                      0x91, 0x1B,
                      0x52, 0x01, 0x2C,
                      0xFF] + [UInt8](repeating: 0x2E, count: 128))
    }

    /// Block2 with a first option at number 23 needs an extended delta: 23 − 13 = 10.
    @Test func block2AsFirstOption() throws {
        var m = Message(type: .confirmable, code: .get, messageID: 2)
        m.block2 = BlockOption(number: 4096, more: false, szx: 6) // 4096 << 4 | 6 = 0x010006
        try check(m, [0x40, 0x01, 0x00, 0x02, 0xD3, 0x0A, 0x01, 0x00, 0x06])
    }

    /// Uri-Host, Uri-Port and Accept: Uri-Host (3) 0x39 "127.0.0.1"... port 5683 = 0x1633 as
    /// option 7 (delta 4, 2 bytes): 0x42 0x16 0x33; Accept (17) after Uri-Path (11): delta 6,
    /// value 11542 = 0x2D16: 0x62 0x2D 0x16.
    @Test func hostPortAccept() throws {
        var m = Message(type: .confirmable, code: .get, messageID: 0x0100)
        m.uriHost = "127.0.0.1"
        m.uriPort = 5683
        m.uriPath = ["3"]
        m.accept = 11542
        try check(m, [0x40, 0x01, 0x01, 0x00,
                      0x39] + ascii("127.0.0.1") + [
                      0x42, 0x16, 0x33,
                      0x41, 0x33,
                      0x62, 0x2D, 0x16])
    }
}
